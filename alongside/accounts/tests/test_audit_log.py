"""The audit log: organisers see who changed what at their surgery, and when."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.helprecords.services import help_record_add
from alongside.network.models import Invitation
from alongside.network.services import invitation_create
from alongside.privacy.services import erase_person
from alongside.test import BaseTestCase

URL = "/surgeries/stourbridge/audit/"


class AuditLogTestCase(BaseTestCase):
    def edit_session(self, **changes):
        s = self.session
        data = {
            "date": s.date.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "venue": self.venue.pk,
            "online_url": "",
            "help_places": 8,
            "surgeon_places": 3,
            "notes": "",
            **changes,
        }
        self.client.force_login(self.organiser)
        with self.sending():
            r = self.client.post(f"/sessions/{s.pk}/edit/", data)
        self.assertEqual(r.status_code, 302, r.content.decode()[:2000])

    def test_organisers_see_what_changed_in_a_session_newest_first(self):
        self.edit_session(help_places=10)
        self.edit_session(help_places=10, start_time="18:30", notes="Bring your own laptop")
        entry = AuditEntry.objects.filter(action="session.update").first()
        self.assertEqual(entry.details["changes"]["start_time"], ["18:00", "18:30"])
        # Long text is named, never copied.
        self.assertIsNone(entry.details["changes"]["notes"])
        r = self.client.get(URL)
        self.assertContains(r, "Changed a session", count=2)
        self.assertContains(r, "Places for people wanting help: 8")
        self.assertContains(r, "Start time: 18:00")
        self.assertContains(r, "Notes changed")
        self.assertNotContains(r, "Bring your own laptop")
        html = r.content.decode()
        self.assertLess(html.index("Start time: 18:00"), html.index("Places for people wanting"))
        self.assertContains(r, "By melissa@example.org")

    def test_a_change_by_link_names_no_one_and_copies_nothing_personal(self):
        booking = self.book_patient(goal="Get more people to our litter picks")
        r = self.client.post(
            f"/bookings/{booking.token}/change/",
            {"name": "Patricia Jones", "goal": "A new website", "web_use": "some",
             "organisation": "Friends of Mary Stevens Park", "organisation_kind": ""},
        )  # fmt: skip
        self.assertEqual(r.status_code, 302, r.content.decode()[:3000])
        entry = AuditEntry.objects.get(action="booking.update")
        self.assertEqual(entry.details["changes"]["name"], None)
        self.assertEqual(entry.details["changes"]["goal"], None)
        self.assertEqual(
            entry.details["changes"]["organisation"], [None, "Friends of Mary Stevens Park"]
        )
        self.client.post(f"/bookings/{booking.token}/cancel/")
        self.client.force_login(self.organiser)
        r = self.client.get(URL)
        self.assertContains(r, "By someone with the link", count=3)
        self.assertContains(r, "Changed a booking")
        self.assertContains(r, "Status: Booked")
        self.assertContains(r, "Cancelled a booking")
        self.assertContains(r, "What they want to achieve changed")
        for private in ["A new website", "litter picks", "Name: ", "pat@example.org"]:
            self.assertNotContains(r, private)
        # The booking is named by whose it is now, for the organisers who see who booked.
        day = date_format(self.session.date, "j M Y")
        self.assertContains(r, f"Patricia Jones&#x27;s booking for {day}", count=3)

    def test_a_network_admin_is_not_shown_by_email(self):
        self.client.force_login(self.admin)
        with self.sending():
            self.client.post(f"/sessions/{self.session.pk}/cancel/")
        self.assertTrue(AuditEntry.objects.filter(action="session.cancel").exists())
        self.client.force_login(self.organiser)
        r = self.client.get(URL)
        self.assertContains(r, "Cancelled a session")
        self.assertContains(r, "By a network admin")
        self.assertNotContains(r, "nadia@example.org")
        self.admin.first_name, self.admin.last_name = "Nadia", "Khan"
        self.admin.save(update_fields=["first_name", "last_name"])
        self.assertContains(self.client.get(URL), "By Nadia Khan")

    def test_only_the_surgerys_organisers_and_network_admins_may_look(self):
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(URL).status_code, 200)
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get(URL).status_code, 200)
        self.assertContains(self.client.get("/organise/"), f'href="{URL}"')

    def test_another_surgerys_changes_are_not_shown(self):
        other = self.make_session(days=3, surgery=self.other_surgery)
        self.book(other, name="Dana")
        self.client.force_login(self.organiser)
        r = self.client.get(URL)
        self.assertContains(r, "Nothing has changed yet.")

    def test_the_query_count_does_not_grow_with_the_log(self):
        self.client.force_login(self.organiser)

        def add(n: int) -> None:
            actors = [self.organiser, self.admin, None, User.objects.create(username=f"u{n}")]
            AuditEntry.objects.bulk_create(
                AuditEntry(
                    actor=actors[i % 4],
                    action="booking.cancel",
                    surgery=self.surgery,
                    object_type="booking",
                    object_id=i,
                    details={"changes": {"status": [Booking.Status.BOOKED, "cancelled"]}},
                )
                for i in range(n)
            )

        add(3)
        # One more query names the bookings, however many there are.
        with self.assertNumQueries(6):
            self.client.get(URL)
        add(120)
        with self.assertNumQueries(6):
            r = self.client.get(URL)
        self.assertContains(r, "Page 1 of 3")
        self.assertContains(r, "Status: Booked", count=50)
        r = self.client.get(URL + "?page=3")
        self.assertContains(r, "Newer changes")
        self.assertContains(r, "Cancelled a booking", count=23)

    def test_records_are_named_by_person_and_the_erased_are_not_named(self):
        day = date_format(self.session.date, "j M Y")
        ann = self.book(name="Ann Smith")
        sam = self.offer_help()
        help_record_add(
            booking=ann, surgeon=sam, topics=[], note="Set up a page.", links=[], public=False,
            actor=self.organiser,
        )  # fmt: skip
        self.book(name="Erin Gone")
        invitation_create(
            kind=Invitation.Kind.ORGANISER, email="alison@example.org", surgery=self.surgery,
            invited_by=self.organiser,
        )  # fmt: skip
        self.client.force_login(self.organiser)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(URL)
        queries = len(ctx.captured_queries)
        erase_person(email="erin.gone@example.org", actor=self.admin)
        r = self.client.get(URL)
        self.assertContains(r, f"Ann Smith&#x27;s booking for {day}")
        self.assertContains(r, f"Sam Hill&#x27;s offer to help on {day}")
        self.assertContains(r, f"help for Ann Smith on {day}")
        self.assertContains(r, "the invitation to alison@example.org")
        self.assertContains(r, f"a booking for {day}, by a person whose details were erased")
        self.assertNotContains(r, "Erin")
        self.assertNotContains(r, "(booking ")
        # More entries of the same kinds take no more queries.
        for name in ("Bea", "Cy", "Di"):
            help_record_add(
                booking=self.book(name=name), surgeon=sam, topics=[], note="Helped.", links=[],
                public=False, actor=self.organiser,
            )  # fmt: skip
        with self.assertNumQueries(queries):
            self.client.get(URL)

    def test_times_are_shown_in_local_time(self):
        AuditEntry.objects.create(
            action="surgery.update",
            surgery=self.surgery,
            object_type="surgery",
            object_id=self.surgery.pk,
            created_at=dt.datetime(2026, 7, 1, 17, 5, tzinfo=dt.UTC),
            details={"changes": {"name": ["Old name", "New name"]}},
        )
        self.client.force_login(self.organiser)
        r = self.client.get(URL)
        self.assertContains(r, "1 July 2026, 18:05")
        self.assertContains(r, "Changed the surgery&#x27;s details")
        self.assertContains(r, "Name: Old name")
