"""The fuller booking form, changing a booking, remembering details, and declining politely."""

from __future__ import annotations

from django.core import mail

from alongside.bookings.models import Booking
from alongside.surgeries.models import Organisation
from alongside.test import BaseTestCase


class BookingDetailsTestCase(BaseTestCase):
    def form(self, **overrides):
        return {
            **self.patient,
            "organisation": "Lye Cricket Club",
            "organisation_kind": "sports",
            "goal": "Get our fixtures on a website",
            "web_use": "some",
            "topics": [self.website.pk],
            "heard_about": "A poster or leaflet",
            "access_needs": "Step-free access please",
            **overrides,
        }

    def test_the_form_says_who_surgeries_are_for_and_asks_how_people_heard(self):
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, "not for businesses or party politics")
        self.assertContains(r, "How do you use the web now?")
        self.assertContains(r, "Friends of a park or nature reserve")
        self.assertContains(r, "Just me: I&#x27;m not here for a group")
        self.assertContains(r, '<option value="A partner&#x27;s newsletter">')
        self.assertContains(r, "Anything that would make it easier for you to come?")

    def test_it_records_everything_asked(self):
        self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        booking = Booking.objects.get()
        self.assertEqual(booking.organisation.name, "Lye Cricket Club")
        self.assertEqual(booking.organisation.kind, "sports")
        self.assertEqual(booking.web_use, "some")
        self.assertEqual(booking.heard_about, "A poster or leaflet")
        self.assertEqual(booking.access_needs, "Step-free access please")

    def test_just_me_means_no_organisation(self):
        self.client.post(
            f"/sessions/{self.session.pk}/book/", self.form(organisation_kind="just_me")
        )
        self.assertIsNone(Booking.objects.get().organisation)
        self.assertFalse(Organisation.objects.exists())

    def test_the_ways_people_hear_are_set_per_surgery(self):
        self.surgery.heard_about_options = "Stourbridge News\nThe library"
        self.surgery.save()
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, '<option value="Stourbridge News">')
        self.assertNotContains(r, "A poster or leaflet")
        r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form(heard_about="Made up"))
        self.assertContains(r, "Select a valid choice.", count=2)

    def test_groups_others_typed_are_never_suggested(self):
        self.book(name="Ann", organisation_name="Wollaston Domestic Abuse Support")
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertNotContains(r, "<datalist")
        self.assertNotContains(r, "Wollaston Domestic Abuse Support")

    def test_a_remembered_group_is_offered_back_only_to_its_owner(self):
        self.client.post(f"/sessions/{self.session.pk}/book/", self.form(remember="on"))
        other = self.make_session(days=14)
        r = self.client.get(f"/sessions/{other.pk}/book/")
        self.assertContains(r, 'value="Lye Cricket Club"')
        stranger = self.client_class()
        r = stranger.get(f"/sessions/{other.pk}/book/")
        self.assertNotContains(r, "Lye Cricket Club")

    def test_people_can_keep_their_details_on_their_device(self):
        self.client.post(f"/sessions/{self.session.pk}/book/", self.form(remember="on"))
        other = self.make_session(days=14)
        r = self.client.get(f"/sessions/{other.pk}/book/")
        self.assertContains(r, 'value="Pat Jones"')
        self.assertContains(r, 'value="pat@example.org"')
        self.assertContains(r, 'value="Lye Cricket Club"')
        self.assertContains(r, "Forget my details")
        self.client.post("/forget-me/", {"next": f"/sessions/{other.pk}/book/"})
        r = self.client.get(f"/sessions/{other.pk}/book/")
        self.assertNotContains(r, 'value="Pat Jones"')

    def test_the_blank_form_written_once_holds_nobody_s_details(self):
        # The blank form is kept for everyone shown it alike (lib/keptforms.py): a stranger
        # before and after someone with remembered details gets it blank.
        url = f"/sessions/{self.session.pk}/book/"
        stranger = self.client_class()
        self.assertNotContains(stranger.get(url), "Lye Cricket Club")
        self.client.post(url, self.form(remember="on"))
        other = f"/sessions/{self.make_session(days=14).pk}/book/"
        self.assertContains(self.client.get(other), 'value="Lye Cricket Club"')
        for page in (url, other):
            r = stranger.get(page)
            self.assertNotContains(r, "Lye Cricket Club")
            self.assertNotContains(r, "Pat Jones")

    def test_the_blank_form_shows_the_topics_as_they_are_now(self):
        url = f"/sessions/{self.session.pk}/book/"
        self.assertContains(self.client.get(url), "Website or blog")
        self.website.name = "A website of your own"
        self.website.save()
        self.assertContains(self.client.get(url), "A website of your own")

    def test_details_are_not_remembered_unless_asked(self):
        self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertNotContains(r, 'value="Pat Jones"')

    def test_forgetting_goes_back_to_a_page_of_this_site_and_nowhere_else(self):
        for back in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
            with self.subTest(next=back):
                r = self.client.post("/forget-me/", {"next": back})
                self.assertRedirects(r, "/", fetch_redirect_response=False)
        r = self.client.post("/forget-me/", {"next": "/calendar/"})
        self.assertRedirects(r, "/calendar/", fetch_redirect_response=False)


class ChangeBookingTestCase(BaseTestCase):
    def test_the_link_in_the_email_lets_people_change_what_they_said(self):
        booking = self.book_patient(organisation_name="Lye Cricket Club")
        url = f"/bookings/{booking.token}/change/"
        r = self.client.get(url)
        self.assertContains(r, 'value="Lye Cricket Club"')
        r = self.client.post(
            url,
            {
                "name": "Pat Jones",
                "organisation": "Lye Cricket Club",
                "organisation_kind": "sports",
                "goal": "A website for the juniors",
                "topics": [self.website.pk],
                "access_needs": "",
            },
        )
        self.assertRedirects(r, f"/bookings/{booking.token}/")
        booking.refresh_from_db()
        self.assertEqual(booking.goal, "A website for the juniors")
        self.assertEqual(booking.status, "booked")
        self.assertEqual(list(booking.topics.all()), [self.website])

    def test_a_cancelled_booking_cannot_be_changed(self):
        booking = self.book_patient()
        self.client.post(booking.get_cancel_url())
        r = self.client.get(f"/bookings/{booking.token}/change/")
        self.assertRedirects(r, f"/bookings/{booking.token}/")


class DeclineTestCase(BaseTestCase):
    def test_an_organiser_declines_politely_and_the_place_moves_on(self):
        self.session.help_places = 1
        self.session.save()
        business = self.book(name="Bob", organisation_name="Bob's Plumbing Ltd")
        waiting = self.book(name="Wendy")
        self.client.force_login(self.organiser)
        url = f"/sessions/{self.session.pk}/bookings/{business.pk}/decline/"
        r = self.client.get(url)
        self.assertContains(r, "your local library and adult education service")
        with self.sending():
            r = self.client.post(url, {"message": "Try the Business Growth Hub instead."})
        self.assertRedirects(r, f"/sessions/{self.session.pk}/bookings/")
        business.refresh_from_db()
        waiting.refresh_from_db()
        self.assertEqual(business.status, "declined")
        self.assertEqual(waiting.status, "booked")
        (declined,) = self.sent_to("bob@example.org")
        self.assertIn("Try the Business Growth Hub instead.", declined.body)
        self.assertContains(
            self.client.get(business.get_absolute_url()), "Try the Business Growth Hub"
        )

    def test_a_message_is_needed(self):
        booking = self.book(name="Bob")
        self.client.force_login(self.organiser)
        r = self.client.post(
            f"/sessions/{self.session.pk}/bookings/{booking.pk}/decline/", {"message": ""}
        )
        self.assertContains(r, "Write a short, kind message to go with it.", count=2)
        self.assertEqual(mail.outbox, [])


class PlacesTestCase(BaseTestCase):
    def edit(self, **overrides):
        self.client.force_login(self.organiser)
        data = {
            "date": self.session.date.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "venue": self.venue.pk,
            "help_places": 8,
            "surgeon_places": 3,
            **overrides,
        }
        return self.client.post(f"/sessions/{self.session.pk}/edit/", data)

    def test_places_can_be_lowered_to_the_number_booked(self):
        self.book(name="Ann")
        self.book(name="Bo")
        self.assertEqual(self.edit(help_places=2).status_code, 302)
        self.session.refresh_from_db()
        self.assertEqual(self.session.help_places, 2)

    def test_lowering_never_drops_a_booked_person_silently(self):
        for name in ("Ann", "Bo", "Cy"):
            self.book(name=name)
        r = self.edit(help_places=2)
        self.assertContains(r, "3 people are booked, so there must be at least 3 places", count=2)
        self.session.refresh_from_db()
        self.assertEqual(self.session.help_places, 8)
        self.assertEqual(Booking.objects.filter(status="booked").count(), 3)
