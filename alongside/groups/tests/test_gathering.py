"""Sessions that bring groups together: who they are for, the invitation list, inviting
each group's consenting contacts once, and the groups' replies."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.groups import gathering
from alongside.groups.models import GroupInvitation, Reply
from alongside.groups.tests.helpers import LEASOWES, agree_to_news, make_group_at, park_venue
from alongside.outbox import emails
from alongside.outbox.models import Unsubscribe
from alongside.surgeries.models import Organisation, Session
from alongside.test import RENDERED, BaseTestCase, run_due_tasks

SPORTS, FRIENDS = Organisation.Kind.SPORTS_CLUB, Organisation.Kind.FRIENDS_GROUP


class ForWhomTest(BaseTestCase):
    def session_for(self, kinds, miles=None) -> Session:
        return Session(surgery=self.surgery, venue=self.venue, for_kinds=kinds, for_miles=miles)

    def test_it_says_nothing_for_an_ordinary_session(self):
        self.assertEqual(self.session_for([]).for_whom, "")

    def test_it_names_one_kind(self):
        self.assertEqual(self.session_for([SPORTS]).for_whom, "For sports clubs")

    def test_it_joins_two_kinds_with_and(self):
        self.assertEqual(
            self.session_for([SPORTS, FRIENDS], 3).for_whom,
            "For sports clubs and Friends of a park or nature reserve groups "
            "within 3 miles of The Lion Café",
        )

    def test_without_a_venue_it_names_no_place(self):
        session = Session(surgery=self.surgery, for_kinds=[SPORTS], for_miles=2)
        self.assertEqual(session.for_whom, "For sports clubs within 2 miles")

    @RENDERED
    def test_the_card_in_a_list_says_who_it_is_for(self):
        Session.objects.filter(pk=self.session.pk).update(for_kinds=[SPORTS])
        self.assertContains(self.client.get("/surgeries/stourbridge/"), "For sports clubs")

    def test_it_lists_three_kinds_with_commas(self):
        text = self.session_for([SPORTS, FRIENDS, Organisation.Kind.HEALTH_GROUP], 1).for_whom
        self.assertEqual(
            text,
            "For sports clubs, Friends of a park or nature reserve groups and health and "
            "activity groups within 1 mile of The Lion Café",
        )


class SessionFormTest(BaseTestCase):
    def post(self, **fields):
        self.client.force_login(self.organiser)
        data = {
            "date": self.session.date.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "venue": self.park.pk,
            "help_places": 8,
            "surgeon_places": 3,
            **fields,
        }
        return self.client.post(f"/sessions/{self.session.pk}/edit/", data)

    def setUp(self):
        self.park = park_venue(self.surgery)

    def test_an_organiser_aims_a_session_at_kinds_of_group_nearby(self):
        r = self.post(for_kinds=[SPORTS, FRIENDS], for_miles=3)
        self.assertEqual(r.status_code, 302)
        self.session.refresh_from_db()
        self.assertEqual(self.session.for_kinds, [SPORTS, FRIENDS])
        self.assertEqual(self.session.for_miles, 3)
        page = self.client.get(f"/sessions/{self.session.pk}/").content.decode()
        self.assertIn("within 3 miles of Leasowes Park", page)
        self.assertIn(f"/sessions/{self.session.pk}/groups/", page)

    def test_miles_need_kinds_and_a_venue_on_the_map(self):
        r = self.post(for_miles=3)
        self.assertContains(r, "Tick the kinds of group first")
        r = self.post(for_kinds=[SPORTS], for_miles=3, venue=self.venue.pk)
        self.assertContains(r, "We don&#x27;t know where the venue is")


class GroupsTestCase(BaseTestCase):
    """A session at Leasowes Park for sports clubs and Friends groups within 3 miles."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.park = park_venue(cls.surgery)
        cls.themed = cls.make_session(
            days=10, venue=cls.park, for_kinds=[SPORTS, FRIENDS], for_miles=3
        )
        cls.harriers = make_group_at("Halesowen Harriers", SPORTS, (52.4490, -2.0500))
        cls.friends = make_group_at("Friends of Leasowes", FRIENDS, (52.4585, -2.0490))
        cls.far = make_group_at("Birmingham Rugby Club", SPORTS, (52.4800, -1.9000))
        cls.arts = make_group_at("Halesowen Arts", Organisation.Kind.ARTS_GROUP, LEASOWES)
        cls.nowhere = make_group_at("Lye Cricket Club", SPORTS, None)

    def book_for(self, group, name, *, news=True, session=None) -> Booking:
        booking = self.book(session or self.session, name=name, organisation_name=group.name)
        return agree_to_news(booking) if news else booking

    def page(self, user=None):
        self.client.force_login(user or self.organiser)
        return self.client.get(f"/sessions/{self.themed.pk}/groups/")


class InvitationListTest(GroupsTestCase):
    def test_it_lists_groups_of_those_kinds_within_the_miles_nearest_first(self):
        rows = gathering.matching_groups(self.themed)
        self.assertEqual([row.organisation for row in rows], [self.friends, self.harriers])
        self.assertLess(rows[0].miles, 0.1)
        self.assertAlmostEqual(rows[1].miles, 0.6, delta=0.1)

    def test_without_miles_it_lists_every_group_of_those_kinds(self):
        Session.objects.filter(pk=self.themed.pk).update(for_miles=None)
        self.themed.refresh_from_db()
        names = [row.organisation.name for row in gathering.matching_groups(self.themed)]
        self.assertEqual(
            names,
            [
                "Friends of Leasowes",
                "Halesowen Harriers",
                "Birmingham Rugby Club",
                "Lye Cricket Club",
            ],
        )

    def test_it_shows_how_many_contacts_never_who(self):
        self.book_for(self.harriers, "Hana")
        self.book_for(self.harriers, "Hugo")
        self.book_for(self.harriers, "Hal", news=False)
        r = self.page()
        self.assertContains(r, "2 contacts")
        self.assertContains(r, "No contacts yet")
        self.assertNotContains(r, "hana@example.org")
        self.assertNotContains(r, "Hana")

    def test_groups_with_contacts_are_ticked_by_default(self):
        self.book_for(self.harriers, "Hana")
        page = self.page().content.decode()
        self.assertRegex(page, rf'value="{self.harriers.pk}" id="group-{self.harriers.pk}" checked')
        self.assertNotRegex(
            page, rf'value="{self.friends.pk}" id="group-{self.friends.pk}"[^>]* checked'
        )

    def test_only_organisers_open_it(self):
        self.assertEqual(self.page().status_code, 200)
        self.assertEqual(self.page(self.other_organiser).status_code, 403)
        self.client.logout()
        r = self.client.get(f"/sessions/{self.themed.pk}/groups/")
        self.assertNotEqual(r.status_code, 200)

    def test_an_ordinary_session_has_no_invitation_list(self):
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get(f"/sessions/{self.session.pk}/groups/").status_code, 404)

    @RENDERED
    def test_the_list_costs_the_same_queries_however_many_groups(self):
        def count() -> int:
            self.client.force_login(self.organiser)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.page().status_code, 200)
            return len(queries)

        # Two groups booked at the session: the "got in touch" form is shown from then on.
        self.book_for(self.harriers, "Hana", session=self.themed)
        self.book_for(self.friends, "Fran", session=self.themed)
        few = count()
        for n in range(6):
            group = make_group_at(f"Club {n}", SPORTS, (52.45 + n / 1000, -2.05))
            self.book_for(group, f"Person {n}", session=self.themed)
        gathering.groups_invite(
            session=self.themed, organisations=[self.harriers], note="", actor=self.organiser
        )
        self.assertEqual(count(), few)
        with self.assertNumQueries(few):
            self.page()

    def test_replies_and_bookings_are_shown_per_group(self):
        self.book_for(self.harriers, "Hana")
        self.book_for(self.harriers, "Hugo", session=self.themed)
        self.book_for(self.harriers, "Hal", session=self.themed)
        [invitation] = gathering.groups_invite(
            session=self.themed, organisations=[self.harriers], note="", actor=self.organiser
        )
        gathering.invitation_reply(invitation=invitation, reply=Reply.COMING)
        [harriers] = [
            r for r in gathering.matching_groups(self.themed) if r.organisation == self.harriers
        ]
        self.assertEqual(harriers.booked, 2)
        self.assertEqual(harriers.invitation.reply, Reply.COMING)
        r = self.page()
        self.assertContains(r, "Reply: someone is coming.")
        self.assertContains(r, "2 people booked for this group.")


class InvitingTest(GroupsTestCase):
    def invite(self, *groups, note="Come and meet the other groups by the lake."):
        self.client.force_login(self.organiser)
        with self.sending():
            return self.client.post(
                f"/sessions/{self.themed.pk}/groups/",
                {"action": "invite", "note": note, "groups": [g.pk for g in groups]},
            )

    def test_it_emails_each_consenting_contact_once(self):
        self.book_for(self.harriers, "Hana")
        self.book_for(self.harriers, "Hana", session=self.make_session(days=2))  # twice
        self.book_for(self.harriers, "Hugo")
        self.book_for(self.harriers, "Hal", news=False)
        r = self.invite(self.harriers)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["hana@example.org", "hugo@example.org"]
        )
        message = self.sent_to("hana@example.org")[0]
        self.assertIn("Come and meet the other groups by the lake.", message.body)
        self.assertIn(
            "For sports clubs and Friends of a park or nature reserve groups", message.body
        )
        self.assertIn(f"/sessions/{self.themed.pk}/book/", message.body)
        self.assertIn("/groups/reply/", message.body)
        self.assertIn("List-Unsubscribe", message.extra_headers)
        invitation = GroupInvitation.objects.get()
        self.assertEqual(invitation.contacts, 2)

    def test_the_surgerys_log_says_which_group_was_invited(self):
        self.invite(self.harriers)
        r = self.client.get("/surgeries/stourbridge/audit/")
        self.assertContains(r, "Invited groups to a session")
        self.assertContains(r, "Halesowen Harriers&#x27;s invitation to the session on")

    def test_nobody_is_invited_to_a_session_that_has_finished(self):
        self.book_for(self.harriers, "Hana")
        Session.objects.filter(pk=self.themed.pk).update(cancelled_at=timezone.now())
        r = self.invite(self.harriers)
        self.assertContains(r, "nobody left to invite")
        self.assertNotContains(r, 'name="groups"')
        self.assertFalse(GroupInvitation.objects.exists())

    def test_nobody_unsubscribed_or_erased_is_written_to(self):
        self.book_for(self.harriers, "Hana")
        hugo = self.book_for(self.harriers, "Hugo")
        Unsubscribe.objects.create(email="HANA@example.org", kind=emails.GROUP_NEWS)
        Booking.objects.filter(pk=hugo.pk).update(name="Anonymised")
        self.invite(self.harriers)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(GroupInvitation.objects.get().contacts, 0)

    def test_a_second_press_invites_nobody_twice(self):
        self.book_for(self.harriers, "Hana")
        self.invite(self.harriers)
        r = self.invite(self.harriers)
        self.assertRedirects(
            r, f"/sessions/{self.themed.pk}/groups/", fetch_redirect_response=False
        )
        page = self.client.get(r.url)
        self.assertContains(page, "Those groups were invited already")
        self.assertEqual(GroupInvitation.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_service_invites_a_group_once_however_often_it_is_named(self):
        self.book_for(self.harriers, "Hana")
        with self.sending():
            made = gathering.groups_invite(
                session=self.themed,
                organisations=[self.harriers, self.harriers],
                note="",
                actor=self.organiser,
            )
            again = gathering.groups_invite(
                session=self.themed, organisations=[self.harriers], note="", actor=self.organiser
            )
        self.assertEqual(len(made), 1)
        self.assertEqual(again, [])
        self.assertEqual(len(mail.outbox), 1)
        run_due_tasks()
        self.assertEqual(len(mail.outbox), 1)

    def test_a_retried_task_sends_nobody_a_second_copy(self):
        from alongside.groups.tasks import send_group_invitation

        self.book_for(self.harriers, "Hana")
        self.invite(self.harriers)
        send_group_invitation.call(GroupInvitation.objects.get().pk)
        self.assertEqual(len(mail.outbox), 1)

    def reply_links(self) -> dict[str, str]:
        body = self.sent_to("hana@example.org")[0].body
        coming = re.search(r"will come: (\S+)", body).group(1)
        not_now = re.search(r"Not this time: (\S+)", body).group(1)
        return {"coming": urlsplit(coming).path, "no": urlsplit(not_now).path}

    def test_a_group_replies_and_the_last_reply_wins(self):
        self.book_for(self.harriers, "Hana")
        self.invite(self.harriers)
        links = self.reply_links()
        self.client.logout()
        coming, no = links["coming"], links["no"]
        # Following the link records nothing: a mail scanner may follow it.
        r = self.client.get(coming)
        self.assertContains(r, "Someone from our group will come")
        self.assertEqual(GroupInvitation.objects.get().reply, "")
        r = self.client.post(coming)
        self.assertContains(r, "someone from your group will come")
        self.assertEqual(GroupInvitation.objects.get().reply, Reply.COMING)
        r = self.client.post(no)
        self.assertContains(r, "Thank you for letting us know")
        self.assertEqual(GroupInvitation.objects.get().reply, Reply.NOT_THIS_TIME)
        r = self.client.get(coming)
        self.assertContains(r, "Your group said not this time.")

    def test_after_the_session_a_reply_changes_nothing(self):
        self.book_for(self.harriers, "Hana")
        self.invite(self.harriers)
        coming = self.reply_links()["coming"]
        Session.objects.filter(pk=self.themed.pk).update(cancelled_at=timezone.now())
        r = self.client.post(coming)
        self.assertContains(r, "nothing to reply to")
        self.assertEqual(GroupInvitation.objects.get().reply, "")

    def test_a_forged_reply_link_is_refused(self):
        self.book_for(self.harriers, "Hana")
        self.invite(self.harriers)
        coming = self.reply_links()["coming"]
        self.assertEqual(self.client.post(coming[:-3] + "xx/").status_code, 404)
