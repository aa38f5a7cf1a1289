from __future__ import annotations

from django.core import mail

from alongside.bookings.models import Booking
from alongside.test import BaseTestCase


class BookTestCase(BaseTestCase):
    def form(self, **overrides):
        return {
            **self.patient,
            "organisation": "Friends of Mary Stevens Park",
            "goal": "Get more volunteers for our litter picks",
            "topics": [self.facebook.pk, self.website.pk],
            **overrides,
        }

    def test_it_shows_the_form_without_an_account(self):
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, "Book a place")
        self.assertContains(r, "Facebook")
        self.assertContains(r, "Online fundraising")

    def test_it_books_a_place_and_emails_a_confirmation(self):
        with self.sending():
            r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        booking = Booking.objects.get()
        self.assertRedirects(r, f"/bookings/{booking.token}/")
        self.assertEqual(booking.status, "booked")
        self.assertEqual(booking.role, "help")
        self.assertEqual(booking.organisation.name, "Friends of Mary Stevens Park")
        self.assertEqual(set(booking.topics.all()), {self.facebook, self.website})
        self.assertTrue(booking.consent_contact)

        page = self.client.get(r.url)
        self.assertContains(page, "You are booked in")
        self.assertContains(page, "Cancel this booking")

        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["pat@example.org"])
        self.assertIn("Your place at Stourbridge Social Media Surgery", email.subject)
        self.assertIn(f"http://testserver/bookings/{booking.token}/cancel/", email.body)
        self.assertIn("The Lion Café", email.body)
        html = email.alternatives[0].content
        self.assertIn(f"/bookings/{booking.token}/cancel/", html)

    def test_it_matches_a_known_organisation_whatever_the_case(self):
        self.book(name="Ann", organisation_name="Friends of Mary Stevens Park")
        self.client.post(
            f"/sessions/{self.session.pk}/book/",
            self.form(organisation="friends of mary  stevens park"),
        )
        names = set(Booking.objects.values_list("organisation__name", flat=True))
        self.assertEqual(names, {"Friends of Mary Stevens Park"})

    def test_it_keeps_what_was_typed_and_explains_errors(self):
        r = self.client.post(
            f"/sessions/{self.session.pk}/book/",
            self.form(email="not-an-email"),
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "There is a problem")
        self.assertContains(r, "Enter a valid email address.", count=2)
        self.assertContains(r, 'value="Pat Jones"')
        self.assertContains(r, "Get more volunteers for our litter picks")
        self.assertContains(r, 'aria-invalid="true"')
        self.assertFalse(Booking.objects.exists())

    def test_it_requires_name_and_goal(self):
        r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form(name="", goal=""))
        self.assertContains(r, "Enter your name.", count=2)
        self.assertContains(r, "Tell us in a few words what you would like to achieve.", count=2)

    def test_it_puts_people_on_the_waiting_list_when_full(self):
        self.session.help_places = 1
        self.session.save()
        self.book(name="First")
        with self.sending():
            r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        booking = Booking.objects.get(email="pat@example.org")
        self.assertEqual(booking.status, "waiting")
        page = self.client.get(r.url)
        self.assertContains(page, "You are on the waiting list")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("waiting list", mail.outbox[0].subject)

    def test_the_session_page_says_when_full(self):
        self.session.help_places = 1
        self.session.save()
        self.book(name="First")
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(r, "Join the waiting list")

    def test_it_does_not_book_a_finished_session(self):
        past = self.make_session(days=-7)
        r = self.client.get(f"/sessions/{past.pk}/book/")
        self.assertEqual(r.status_code, 404)
        r = self.client.post(f"/sessions/{past.pk}/book/", self.form())
        self.assertEqual(r.status_code, 404)
        self.assertFalse(Booking.objects.exists())

    def test_a_bad_booking_link_is_not_found(self):
        booking = self.book()
        r = self.client.get(f"/bookings/{booking.pk}/")
        self.assertEqual(r.status_code, 404)
        r = self.client.get(f"/bookings/{booking.token}x/cancel/")
        self.assertEqual(r.status_code, 404)

    def test_a_booking_makes_as_many_queries_whatever_is_booked(self):
        self.book(name="Ann", organisation_name="Friends of Mary Stevens Park")
        path = f"/sessions/{self.session.pk}/book/"
        with self.assertNumQueries(13):
            self.client.post(path, self.form(email="one@example.org"))
        for n in range(5):
            self.book(name=f"Person {n}")
        with self.assertNumQueries(13):
            r = self.client.post(path, self.form(email="two@example.org"))
        self.assertRedirects(r, f"/bookings/{Booking.objects.latest('pk').token}/")
        self.assertEqual(Booking.objects.filter(status="booked").count(), 8)

    def test_a_form_sent_back_with_errors_shows_the_places_left(self):
        self.session.help_places = 2
        self.session.save()
        self.book(name="Ann")
        r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form(email="nope"))
        self.assertContains(r, "Book my place")
        self.book(name="Bob")
        r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form(email="nope"))
        self.assertContains(r, "This session is full")
        self.assertContains(r, "Enter a valid email address")


class HelpOutTestCase(BaseTestCase):
    def test_a_volunteer_offers_to_help_as_a_surgeon(self):
        with self.sending():
            r = self.client.post(
                f"/sessions/{self.session.pk}/help-out/",
                {
                    **self.surgeon,
                    "topics": [self.website.pk],
                },
            )
        booking = Booking.objects.get()
        self.assertRedirects(r, f"/bookings/{booking.token}/")
        self.assertEqual(booking.role, "surgeon")
        self.assertEqual(booking.status, "booked")
        self.assertEqual(list(booking.topics.all()), [self.website])
        self.assertContains(self.client.get(r.url), "Thank you: you are helping")
        self.assertIn("Thank you for helping", mail.outbox[0].subject)

    def test_surgeon_places_are_separate_from_places_for_help(self):
        self.session.help_places = 1
        self.session.save()
        self.book_patient()
        surgeon = self.offer_help()
        self.assertEqual(surgeon.status, "booked")

    def test_extra_surgeons_wait_and_are_told_kindly(self):
        self.session.surgeon_places = 0
        self.session.save()
        with self.sending():
            surgeon = self.offer_help()
        self.assertEqual(surgeon.status, "waiting")
        self.assertIn("all the surgeons it asked for", mail.outbox[0].body)
        r = self.client.get(f"/bookings/{surgeon.token}/")
        self.assertContains(r, "all the surgeons it asked for")
