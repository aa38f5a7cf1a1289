"""A group's page: its visits and the help it got, for its organisers and its surgeons."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords.access import organisation_token, record_token
from alongside.helprecords.models import Pairing
from alongside.helprecords.outcomes import follow_up_answer
from alongside.helprecords.services import help_record_add
from alongside.surgeries.models import Organisation
from alongside.test import BaseTestCase

GROUP = "Friends of Mary Stevens Park"


class OrganisationPageTestCase(BaseTestCase):
    def setUp(self):
        self.first = self.make_session(days=-60)
        self.second = self.make_session(days=-30)
        self.pat = self.book_patient(
            self.first,
            organisation_name=GROUP,
            goal="Start a Facebook page",
            topics=[self.facebook],
        )
        self.sam = self.offer_help(self.first)
        record = self.record(self.pat, self.sam, "Set up a Facebook page", "https://fb.com/fomsp")
        Booking.objects.filter(pk=self.pat.pk).update(got_done="Posted our first event")
        follow_up_answer(
            record=record,
            still_using="yes",
            confidence_before=2,
            confidence_now=4,
            comment="Thirty new followers already",
        )
        self.ann = self.book(
            self.second, name="Ann", organisation_name=GROUP.lower(), goal="Make a website"
        )
        self.record(self.ann, None, "Made a one-page website", "https://fomsp.org.uk")
        self.group = Organisation.objects.get()
        self.url = f"/organisations/{self.group.pk}/"

    def record(self, booking, surgeon, note, url):
        return help_record_add(
            booking=booking,
            surgeon=surgeon,
            topics=[self.website],
            note=note,
            links=[url],
            public=False,
            actor=self.organiser,
        )

    def test_an_organiser_where_the_group_booked_sees_its_visits_and_help(self):
        self.client.force_login(self.organiser)
        r = self.client.get(self.url)
        self.assertContains(r, f"<h1>{GROUP}</h1>", html=True)
        self.assertContains(r, "Other")  # its kind
        for text in [
            "Pat Jones",
            "Start a Facebook page",
            "Ann",
            "Make a website",
            "Set up a Facebook page",
            "https://fb.com/fomsp",
            "Helped by Sam Hill",
            "Posted our first event",
            "Still using it: Yes.",
            "Confidence 2 before, 4 now, out of 5.",
            "Thirty new followers already",
            "Made a one-page website",
        ]:
            self.assertContains(r, text)
        page = r.content.decode()
        # Newest first, in the visits and in the help.
        self.assertLess(page.index("Make a website"), page.index("Start a Facebook page"))
        self.assertLess(page.index("Made a one-page website"), page.index("Set up a Facebook"))
        self.assertNotContains(r, "pat@example.org")

    def test_cancelled_and_future_bookings_are_not_visits(self):
        self.book(self.second, name="Cy", organisation_name=GROUP, goal="Cancelled goal")
        Booking.objects.filter(name="Cy").update(status=Booking.Status.CANCELLED)
        self.book(self.session, name="Di", organisation_name=GROUP, goal="Next week's goal")
        self.client.force_login(self.organiser)
        r = self.client.get(self.url)
        self.assertNotContains(r, "Cancelled goal")
        self.assertNotContains(r, "Next week's goal")

    def test_another_surgerys_organiser_gets_403_until_the_group_books_there(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        dudley = self.make_session(days=3, surgery=self.other_surgery)
        self.book(dudley, name="Ed", organisation_name=GROUP)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_a_booking_typed_with_a_groups_name_opens_only_its_history_at_your_surgeries(self):
        # Dudley's organiser books at Dudley in the group's name, matched regardless of case,
        # then cancels: the group's visits and help at Stourbridge stay closed to them.
        self.client.force_login(self.other_organiser)
        held = self.make_session(days=-3, surgery=self.other_surgery)
        mine = self.book(held, name="Omar", organisation_name=GROUP.upper(), goal="Our own visit")
        Booking.objects.filter(pk=mine.pk).update(status=Booking.Status.ATTENDED)
        r = self.client.get(self.url)
        self.assertContains(r, "Our own visit")
        for text in ["Pat Jones", "Start a Facebook page", "Set up a Facebook page", "Ann"]:
            self.assertNotContains(r, text)
        Booking.objects.filter(pk=mine.pk).update(status=Booking.Status.CANCELLED)
        r = self.client.get(self.url)
        for text in ["Pat Jones", "Start a Facebook page", "Set up a Facebook page", "Ann"]:
            self.assertNotContains(r, text)

    def test_an_anonymous_visitor_gets_403_offering_sign_in(self):
        r = self.client.get(self.url)
        self.assertContains(r, "Please sign in", status_code=403)
        self.assertContains(
            r, f"/accounts/login/?next=/organisations/{self.group.pk}/", status_code=403
        )

    def test_a_group_that_does_not_exist_is_not_found(self):
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get("/organisations/999999/").status_code, 404)

    def test_a_surgeons_key_opens_it_for_30_days(self):
        key = organisation_token(self.group, self.sam)
        r = self.client.get(self.url, {"key": key})
        self.assertContains(r, "Set up a Facebook page")
        with time_machine.travel(timezone.now() + dt.timedelta(days=29)):
            self.assertEqual(self.client.get(self.url, {"key": key}).status_code, 200)
        with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
            self.assertEqual(self.client.get(self.url, {"key": key}).status_code, 403)

    def test_a_tampered_or_borrowed_key_gets_403(self):
        key = organisation_token(self.group, self.sam)
        tampered = key[:-3] + ("aaa" if not key.endswith("aaa") else "bbb")
        self.assertEqual(self.client.get(self.url, {"key": tampered}).status_code, 403)
        other = Organisation.objects.create(name="Lye Cricket Club")
        self.assertEqual(
            self.client.get(f"/organisations/{other.pk}/", {"key": key}).status_code, 403
        )
        # A key made for a booking that was erased since stops working.
        self.sam.delete()
        self.assertEqual(self.client.get(self.url, {"key": key}).status_code, 403)

    def test_the_who_is_coming_page_links_to_it(self):
        self.client.force_login(self.organiser)
        r = self.client.get(f"/sessions/{self.first.pk}/bookings/")
        self.assertContains(r, f'<a href="{self.url}">{GROUP}</a>', html=True)

    def test_a_surgeons_record_page_links_to_it_with_a_key(self):
        person = self.book(self.session, name="Flo", organisation_name=GROUP)
        surgeon = self.offer_help(self.session, name="Gus", email="gus@example.org")
        pairing = Pairing.objects.create(session=self.session, person=person, surgeon=surgeon)
        r = self.client.get(f"/pairings/{record_token(pairing)}/record/")
        self.assertEqual(r.status_code, 200)
        url = r.context["organisation_url"]
        self.assertTrue(url.startswith(f"{self.url}?key="))
        self.assertContains(r, "has been helped with before")
        self.assertContains(self.client.get(url), "Set up a Facebook page")

    def test_a_fixed_number_of_queries_however_many_visits(self):
        self.client.force_login(self.organiser)
        with self.assertNumQueries(8):
            self.client.get(self.url)
        for days in range(-20, -10, 2):
            session = self.make_session(days=days)
            booking = self.book(session, name=f"Visitor {days}", organisation_name=GROUP)
            surgeon = self.book(session, name=f"S{days}", role=Booking.Role.SURGEON)
            record = self.record(booking, surgeon, "Helped.", f"https://g{-days}.org")
            follow_up_answer(
                record=record, still_using="no", confidence_before=1, confidence_now=2, comment=""
            )
        with self.assertNumQueries(8):
            r = self.client.get(self.url)
        self.assertContains(r, "Visitor -12")
