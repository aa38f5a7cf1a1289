"""An organisation's own surgeries: starting one, who can come, listing them, their figures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.organisations.figures import own_surgery_figures
from alongside.organisations.models import Role
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Audience, Session, Surgery
from alongside.test import RENDERED, BaseTestCase


class OwnSurgeriesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.council = make_organisation("Dudley Council")
        cls.anita = make_member(cls.council, "anita", role=Role.ADMIN).user
        cls.gary = make_member(cls.council, "gary").user
        cls.other = make_organisation("Sandwell CVS")
        cls.sal = make_member(cls.other, "sal", role=Role.ADMIN).user
        cls.base = f"/organisations/{cls.council.slug}/surgeries/"

    def start_form(self, **overrides):
        return {
            "name": "Staff digital surgery",
            "audience": "members",
            "place_name": "Dudley",
            "description": "Bring your lunch and a question.",
            "contact_email": "anita@dudley-council.example",
            "venue_name": "Committee Room 2",
            "venue_address": "Priory Road, Dudley",
            **overrides,
        }

    def own(self, name: str, audience: str = Audience.MEMBERS, organisation=None) -> Surgery:
        surgery = Surgery.objects.create(
            name=name,
            slug=name.lower().replace(" ", "-"),
            place_name="Dudley",
            description="For us.",
            who_for="Staff.",
            contact_email="anita@example.org",
            audience=audience,
            members_of=organisation or self.council,
            approved_at=timezone.now(),
        )
        surgery.organisers.add(self.anita)
        return surgery

    # --- Starting one --------------------------------------------------------------------

    def test_an_admin_starts_a_members_only_surgery_approved_at_once_and_organises_it(self):
        self.client.force_login(self.anita)
        r = self.client.post(self.base, self.start_form())
        surgery = Surgery.objects.get(name="Staff digital surgery")
        self.assertRedirects(r, f"/surgeries/{surgery.slug}/sessions/new/")
        self.assertEqual(surgery.audience, Audience.MEMBERS)
        self.assertEqual(surgery.members_of, self.council)
        self.assertIsNotNone(surgery.approved_at)
        self.assertFalse(surgery.is_public)
        self.assertTrue(surgery.is_organiser(self.anita))
        self.assertEqual(surgery.venues.get().name, "Committee Room 2")
        self.assertIn("Dudley Council", surgery.who_for)
        actions = set(
            AuditEntry.objects.filter(surgery_id=surgery.pk).values_list("action", flat=True)
        )
        self.assertEqual(actions, {"surgery.create", "surgery.approve"})
        # The organiser tools work as for any surgery.
        self.assertEqual(self.client.get(r.url).status_code, 200)

    def test_a_surgery_for_both_waits_for_the_network_like_any_proposal(self):
        self.client.force_login(self.anita)
        self.client.post(self.base, self.start_form(name="Council House drop-in", audience="both"))
        surgery = Surgery.objects.get(name="Council House drop-in")
        self.assertIsNone(surgery.approved_at)
        self.assertEqual(surgery.proposed_by, self.anita)
        self.assertFalse(Surgery.objects.public().filter(pk=surgery.pk).exists())
        self.assertTrue(
            AuditEntry.objects.filter(surgery_id=surgery.pk, action="surgery.propose").exists()
        )

    def test_a_forged_organisation_in_the_form_is_ignored(self):
        self.client.force_login(self.anita)
        self.client.post(self.base, self.start_form(members_of=self.other.pk))
        surgery = Surgery.objects.get(name="Staff digital surgery")
        self.assertEqual(surgery.members_of, self.council)

    def test_only_the_organisations_admins_may_start_one(self):
        for user in (self.gary, self.sal, self.organiser):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.base, self.start_form()).status_code, 403)
        self.client.logout()
        self.assertIn(self.client.post(self.base, self.start_form()).status_code, (302, 403))
        self.assertFalse(Surgery.objects.filter(name="Staff digital surgery").exists())

    def test_the_form_says_what_is_missing_and_keeps_what_was_typed(self):
        self.client.force_login(self.anita)
        r = self.client.post(self.base, self.start_form(name="", venue_address=""))
        self.assertContains(r, "Enter the address of where it meets.")
        self.assertContains(r, 'value="Committee Room 2"')
        self.assertFalse(Surgery.objects.filter(members_of=self.council).exists())

    # --- Who can come ----------------------------------------------------------------------

    def audience_url(self, surgery: Surgery, organisation=None) -> str:
        slug = (organisation or self.council).slug
        return f"/organisations/{slug}/surgeries/{surgery.slug}/who-can-come/"

    def test_opening_a_members_only_surgery_to_anyone_goes_to_the_network_first(self):
        surgery = self.own("Staff surgery")
        self.client.force_login(self.anita)
        self.client.post(self.audience_url(surgery), {"audience": "both"})
        surgery.refresh_from_db()
        self.assertEqual(surgery.audience, Audience.BOTH)
        self.assertIsNone(surgery.approved_at)

    def test_a_network_approved_surgery_stays_approved_when_its_audience_changes(self):
        surgery = self.own("Drop in", Audience.BOTH)
        Surgery.objects.filter(pk=surgery.pk).update(approved_by=self.admin)
        self.client.force_login(self.anita)
        self.client.post(self.audience_url(surgery), {"audience": "members"})
        self.client.post(self.audience_url(surgery), {"audience": "public"})
        surgery.refresh_from_db()
        self.assertEqual(surgery.audience, Audience.PUBLIC)
        self.assertIsNotNone(surgery.approved_at)
        entries = AuditEntry.objects.filter(surgery_id=surgery.pk, action="surgery.update")
        self.assertEqual(entries.count(), 2)

    def test_another_organisations_surgery_cannot_be_reached_through_this_space(self):
        theirs = self.own("Sandwell staff surgery", organisation=self.other)
        public = self.surgery  # a public surgery Anita does not organise
        self.client.force_login(self.anita)
        for surgery in (theirs, public):
            r = self.client.post(self.audience_url(surgery), {"audience": "members"})
            self.assertEqual(r.status_code, 404)
            surgery.refresh_from_db()
        self.assertEqual(self.surgery.audience, Audience.PUBLIC)
        self.assertIsNone(self.surgery.members_of)
        # And Sandwell's admin cannot change the council's.
        mine = self.own("Staff surgery")
        self.client.force_login(self.sal)
        r = self.client.post(self.audience_url(mine), {"audience": "both"})
        self.assertEqual(r.status_code, 403)
        r = self.client.post(self.audience_url(mine, self.other), {"audience": "both"})
        self.assertEqual(r.status_code, 404)
        mine.refresh_from_db()
        self.assertEqual(mine.audience, Audience.MEMBERS)

    def test_a_member_who_is_not_an_admin_cannot_change_who_can_come(self):
        surgery = self.own("Staff surgery")
        self.client.force_login(self.gary)
        r = self.client.post(self.audience_url(surgery), {"audience": "both"})
        self.assertEqual(r.status_code, 403)

    # --- Listing them ----------------------------------------------------------------------

    def add_sessions(self, surgery: Surgery, n: int) -> None:
        for day in range(n):
            self.make_session(days=day + 2, surgery=surgery, member_places=1)

    @RENDERED
    def test_our_surgeries_lists_each_with_its_next_sessions_in_constant_queries(self):
        both = self.own("Drop in", Audience.BOTH)
        self.add_sessions(both, 1)
        self.client.force_login(self.anita)
        with self.assertNumQueries(10) as small:
            r = self.client.get(self.base)
        self.assertContains(r, "Drop in")
        self.assertContains(r, "Kept for members")
        self.add_sessions(self.own("Staff surgery"), 4)
        self.add_sessions(both, 3)
        with self.assertNumQueries(len(small.captured_queries)):
            r = self.client.get(self.base)
        self.assertContains(r, "Staff surgery")
        self.assertNotContains(r, self.surgery.name)

    @RENDERED
    def test_members_see_surgeries_for_them_on_the_space_in_constant_queries(self):
        staff = self.own("Staff surgery")
        self.add_sessions(staff, 1)
        self.client.force_login(self.gary)
        space = f"/organisations/{self.council.slug}/"
        # The space's own queries, and two for the sessions of the surgeries for us and their
        # places taken.
        with self.assertNumQueries(10) as small:
            r = self.client.get(space)
        self.assertContains(r, "Surgeries for us")
        session = staff.sessions.get()
        self.assertContains(r, f'href="/sessions/{session.pk}/book/"')
        self.add_sessions(staff, 3)
        self.add_sessions(self.own("Drop in", Audience.BOTH), 3)
        with self.assertNumQueries(len(small.captured_queries)):
            r = self.client.get(space)
        # Neither another organisation's nor a public surgery's sessions are listed.
        self.add_sessions(self.own("Sandwell surgery", organisation=self.other), 1)
        r = self.client.get(space)
        self.assertNotContains(r, "Sandwell surgery")
        self.assertNotContains(r, self.surgery.name)

    def test_cancelled_and_past_sessions_and_closed_surgeries_are_not_offered(self):
        staff = self.own("Staff surgery")
        self.make_session(days=3, surgery=staff, cancelled_at=timezone.now())
        self.make_session(days=-3, surgery=staff)
        closed = self.own("Old surgery")
        self.make_session(days=3, surgery=closed)
        Surgery.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
        self.client.force_login(self.gary)
        r = self.client.get(f"/organisations/{self.council.slug}/")
        self.assertContains(r, "None of our own surgeries has a session planned just now.")

    # --- Figures -----------------------------------------------------------------------------

    def test_the_figures_equal_a_recount_of_the_records(self):
        staff = self.own("Staff surgery")
        both = self.own("Drop in", Audience.BOTH)
        theirs = self.own("Sandwell surgery", organisation=self.other)
        today = timezone.localdate()
        expected_sessions, helped, members, minutes = 0, 0, 0, 0
        for surgery, days, member in (
            (staff, -10, True),
            (staff, -40, True),
            (both, -20, False),
            (both, -400, False),  # before the year counted
            (theirs, -10, True),  # another organisation's
        ):
            session = self.make_session(days=days, surgery=surgery)
            surgeon = Booking.objects.create(
                session=session, role="surgeon", name="S", email="s@example.org"
            )
            counted = surgery != theirs and days > -365
            expected_sessions += counted
            for i in range(2):
                person = Booking.objects.create(
                    session=session,
                    name=f"P{i}",
                    email=f"p{i}@example.org",
                    status="attended",
                    as_member=member,
                )
                HelpRecord.objects.create(
                    session=session, booking=person, surgeon=surgeon, note="x", minutes=30
                )
                if counted:
                    helped += 1
                    members += member
                    minutes += 30
        # A session held with nobody recorded still counts as held.
        self.make_session(days=-5, surgery=staff)
        expected_sessions += 1
        # A cancelled one does not.
        self.make_session(days=-6, surgery=staff, cancelled_at=timezone.now())
        with self.assertNumQueries(4):
            figures = own_surgery_figures(self.council, today - dt.timedelta(days=365), today)
        self.assertEqual(figures.sessions_held, expected_sessions)
        self.assertEqual(figures.people_helped, helped)
        self.assertEqual(figures.members_helped, members)
        self.assertEqual(figures.help_hours, round(minutes / 60, 1))
        self.assertEqual(
            expected_sessions,
            Session.objects.filter(
                surgery__in=[staff, both], date__gt=today - dt.timedelta(days=365)
            )
            .filter(date__lt=today, cancelled_at__isnull=True)
            .count(),
        )

    def test_starting_twice_by_a_double_submit_makes_one_surgery(self):
        self.client.force_login(self.anita)
        first = self.client.post(self.base, self.start_form())
        second = self.client.post(self.base, self.start_form())
        self.assertEqual(first.url, second.url)
        self.assertEqual(Surgery.objects.filter(name="Staff digital surgery").count(), 1)
