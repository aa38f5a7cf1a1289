"""Who was in the room: introductions after a session that brought groups together, and the
connections between groups that followed."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.groups import room
from alongside.groups.models import Connection, Introductions, SocialAccount
from alongside.groups.tests.helpers import make_group_at, park_venue
from alongside.outbox.daily import run_daily_jobs
from alongside.surgeries.models import Organisation, Session
from alongside.test import BaseTestCase, run_due_tasks

SPORTS, FRIENDS = Organisation.Kind.SPORTS_CLUB, Organisation.Kind.FRIENDS_GROUP


class RoomTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.park = park_venue(cls.surgery)
        cls.harriers = make_group_at("Halesowen Harriers", SPORTS, (52.4490, -2.0500))
        cls.friends = make_group_at("Friends of Leasowes", FRIENDS, (52.4585, -2.0490))
        cls.rugby = make_group_at("Stourbridge Rugby Club", SPORTS, (52.45, -2.14))
        profile = cls.harriers.profile
        profile.website = "https://halesowenharriers.example.org"
        profile.save()
        SocialAccount.objects.create(
            profile=profile, url="https://www.facebook.com/halesowenharriers"
        )

    def setUp(self):
        self.themed = self.make_session(days=3, venue=self.park, for_kinds=[SPORTS, FRIENDS])
        self.hana = self.came("Hana", self.harriers, goal="More runners on Facebook")
        self.fran = self.came("Fran", self.friends, goal="A newsletter for volunteers")
        self.rob = self.came("Rob", self.rugby, agreed=False)

    def came(self, name, group, *, agreed=True, **fields) -> Booking:
        booking = self.book(self.themed, name=name, organisation_name=group.name, **fields)
        Booking.objects.filter(pk=booking.pk).update(consent_introductions=agreed)
        return booking

    def end_session(self) -> None:
        Session.objects.filter(pk=self.themed.pk).update(
            date=timezone.localdate() - dt.timedelta(days=1)
        )
        self.themed.refresh_from_db()

    def introduce(self) -> int:
        with self.sending():
            return room.send_due_introductions()


class IntroductionsTest(RoomTestCase):
    def test_everyone_who_agreed_gets_one_email_naming_the_others_who_agreed(self):
        self.end_session()
        self.assertEqual(self.introduce(), 1)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["fran@example.org", "hana@example.org"]
        )
        to_fran = self.sent_to("fran@example.org")[0].body
        self.assertIn("Hana, Halesowen Harriers", to_fran)
        self.assertIn("https://halesowenharriers.example.org", to_fran)
        self.assertIn("Facebook: https://www.facebook.com/halesowenharriers", to_fran)
        self.assertIn("More runners on Facebook", to_fran)
        self.assertNotIn("Fran,", to_fran.split("\n", 1)[1])  # not herself
        self.assertNotIn("Rob", to_fran)  # did not agree
        self.assertNotIn("Stourbridge Rugby Club", to_fran)
        self.assertEqual(Introductions.objects.get().people, 2)

    def test_they_go_once(self):
        self.end_session()
        self.introduce()
        self.assertEqual(self.introduce(), 0)
        self.assertIsNone(room.introductions_send(session=self.themed))
        self.assertEqual(len(mail.outbox), 2)

    def test_not_before_the_session_has_ended(self):
        self.assertEqual(self.introduce(), 0)
        self.assertEqual(mail.outbox, [])

    def test_the_daily_run_sends_them(self):
        self.end_session()
        with self.sending():
            run_daily_jobs.call()
        self.assertEqual(len(mail.outbox), 2)

    def test_nobody_who_cancelled_or_did_not_come_is_named(self):
        self.came("Carl", self.rugby)
        Booking.objects.filter(name="Carl").update(status=Booking.Status.NO_SHOW)
        self.came("Cath", self.rugby)
        Booking.objects.filter(name="Cath").update(status=Booking.Status.CANCELLED)
        self.end_session()
        self.introduce()
        for message in mail.outbox:
            self.assertNotIn("Carl", message.body)
            self.assertNotIn("Cath", message.body)
        self.assertEqual(len(mail.outbox), 2)

    def test_someone_erased_since_is_neither_named_nor_written_to(self):
        # A name no signed link in the email could hold by chance, as "Cy" once did.
        self.came("Cyprian", self.rugby)
        self.end_session()
        with self.captureOnCommitCallbacks(execute=True):
            room.introductions_send(session=self.themed)
        Booking.objects.filter(name="Cyprian").update(name="Anonymised", email="")
        run_due_tasks()
        self.assertEqual(len(mail.outbox), 2)
        for message in mail.outbox:
            self.assertNotIn("Cyprian", message.body)
            self.assertNotIn("Anonymised", message.body)

    def test_the_email_says_what_it_is(self):
        self.end_session()
        self.introduce()
        message = self.sent_to("fran@example.org")[0]
        self.assertTrue(message.subject.startswith("Who you met on "))
        self.assertIn("You said you were happy to be introduced", message.body)

    def test_at_a_session_with_check_in_only_those_checked_in_count(self):
        self.came("Cy", self.rugby)
        Booking.objects.filter(name__in=["Hana", "Cy"]).update(checked_in_at=timezone.now())
        self.end_session()
        self.introduce()
        # Fran agreed but was never checked in: only Hana and Cy were in the room.
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["cy@example.org", "hana@example.org"]
        )

    def test_one_person_alone_is_introduced_to_nobody(self):
        Booking.objects.filter(pk=self.fran.pk).update(consent_introductions=False)
        self.end_session()
        self.assertEqual(self.introduce(), 0)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Introductions.objects.exists())

    def test_an_ordinary_session_introduces_nobody(self):
        Session.objects.filter(pk=self.themed.pk).update(for_kinds=[])
        self.end_session()
        self.assertEqual(self.introduce(), 0)


class ConnectionsTest(RoomTestCase):
    def link_to(self, address: str) -> str:
        body = self.sent_to(address)[0].body
        return urlsplit(re.search(r"Tell us here: (\S+)", body).group(1)).path

    def test_a_link_in_the_email_records_the_connection_once(self):
        self.end_session()
        self.introduce()
        link = self.link_to("fran@example.org")
        r = self.client.get(link)
        self.assertContains(r, "We have been in touch with Halesowen Harriers")
        self.assertFalse(Connection.objects.exists())  # only a press records it
        r = self.client.post(link)
        self.assertContains(r, "Thank you")
        self.client.post(link)
        self.client.post(self.link_to("hana@example.org"))  # the other side says so too
        connection = Connection.objects.get()
        self.assertEqual({connection.first, connection.second}, {self.harriers, self.friends})
        self.assertLess(connection.first_id, connection.second_id)
        self.assertEqual(connection.session, self.themed)

    def test_a_forged_link_records_nothing(self):
        self.end_session()
        self.introduce()
        link = self.link_to("fran@example.org")
        self.assertEqual(self.client.post(link[:-4] + "xyz/").status_code, 404)
        self.assertFalse(Connection.objects.exists())

    def test_an_organiser_records_a_connection_once_per_pair(self):
        self.client.force_login(self.organiser)
        url = f"/sessions/{self.themed.pk}/groups/"
        data = {
            "action": "connect",
            "connect-first": self.friends.pk,
            "connect-second": self.harriers.pk,
        }
        self.client.post(url, data)
        r = self.client.post(
            url,
            {**data, "connect-first": self.harriers.pk, "connect-second": self.friends.pk},
            follow=True,
        )
        self.assertContains(r, "That was recorded already.")
        self.assertContains(r, "Halesowen Harriers ↔ Friends of Leasowes")  # by id, once
        self.assertEqual(Connection.objects.count(), 1)

    def test_a_group_is_not_connected_to_itself(self):
        self.client.force_login(self.organiser)
        r = self.client.post(
            f"/sessions/{self.themed.pk}/groups/",
            {
                "action": "connect",
                "connect-first": self.friends.pk,
                "connect-second": self.friends.pk,
            },
        )
        self.assertContains(r, "Choose two different groups.")
        self.assertFalse(Connection.objects.exists())


class CheckInTest(RoomTestCase):
    def test_the_organiser_records_who_is_happy_to_be_introduced(self):
        self.client.force_login(self.organiser)
        page = self.client.get(f"/sessions/{self.themed.pk}/bookings/")
        self.assertContains(page, "Rob is happy to be introduced")
        url = f"/sessions/{self.themed.pk}/bookings/{self.rob.pk}/introductions/"
        self.client.post(url, {"agreed": "yes"})
        self.rob.refresh_from_db()
        self.assertTrue(self.rob.consent_introductions)
        self.client.post(url, {"agreed": "no"})
        self.rob.refresh_from_db()
        self.assertFalse(self.rob.consent_introductions)

    def test_another_organiser_cannot(self):
        self.client.force_login(self.other_organiser)
        url = f"/sessions/{self.themed.pk}/bookings/{self.rob.pk}/introductions/"
        self.assertEqual(self.client.post(url, {"agreed": "yes"}).status_code, 403)
        self.rob.refresh_from_db()
        self.assertFalse(self.rob.consent_introductions)

    def test_an_ordinary_session_does_not_ask(self):
        booking = self.book_patient()
        self.client.force_login(self.organiser)
        self.assertNotContains(
            self.client.get(f"/sessions/{self.session.pk}/bookings/"), "happy to be introduced"
        )
        url = f"/sessions/{self.session.pk}/bookings/{booking.pk}/introductions/"
        self.assertEqual(self.client.post(url, {"agreed": "yes"}).status_code, 404)


class ConsoleTest(RoomTestCase):
    def test_the_console_asks_at_check_in_for_a_session_that_brings_groups_together(self):
        Session.objects.filter(pk=self.themed.pk).update(
            date=timezone.localdate(), start_time=dt.time(0, 0), end_time=dt.time(23, 59)
        )
        self.client.force_login(self.organiser)
        self.client.post(f"/sessions/{self.themed.pk}/console/check-in/{self.rob.pk}/")
        page = self.client.get(f"/sessions/{self.themed.pk}/console/")
        self.assertContains(page, "Rob is happy to be introduced")
        r = self.client.post(
            f"/sessions/{self.themed.pk}/bookings/{self.rob.pk}/introductions/",
            {"agreed": "yes", "back": "console"},
        )
        self.assertRedirects(r, f"/sessions/{self.themed.pk}/console/")
        self.rob.refresh_from_db()
        self.assertTrue(self.rob.consent_introductions)
