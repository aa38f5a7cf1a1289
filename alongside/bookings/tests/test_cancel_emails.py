"""Cancelling your own place: you are told it is done, and the organisers hear of it."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from alongside.accounts import consents
from alongside.bookings.tasks import next_digest_at
from alongside.surgeries.models import Organiser
from alongside.test import PATIENT, BaseTestCase, run_due_tasks

PAT = PATIENT["email"]
MELISSA = "melissa@example.org"


class CancelEmailsTestCase(BaseTestCase):
    def setUp(self):
        self.booking = self.book_patient()

    def each_booking(self) -> None:
        Organiser.objects.filter(user=self.organiser).update(booking_emails="each")

    def cancelled_emails(self, address: str) -> list:
        return [m for m in self.sent_to(address) if "is cancelled" in m.subject]

    def test_cancelling_sends_the_person_one_short_confirmation(self):
        with self.sending():
            r = self.client.post(f"/bookings/{self.booking.token}/cancel/")
        self.assertRedirects(r, f"/bookings/{self.booking.token}/")
        (email,) = self.sent_to(PAT)
        self.assertEqual(
            email.subject,
            f"Your place at Stourbridge Social Media Surgery on "
            f"{self.session.date:%-d %B} is cancelled",
        )
        self.assertIn("Your place is cancelled, as you asked.", email.body)
        self.assertIn("Your place is cancelled, as you asked.", email.alternatives[0].content)
        self.assertIn(f"/bookings/{self.booking.token}/", email.body)
        self.assertEqual(email.attachments, [])

    def test_an_organiser_who_chose_each_email_gets_one_for_the_cancellation(self):
        self.each_booking()
        with self.sending():
            self.client.post(f"/bookings/{self.booking.token}/cancel/")
        (email,) = self.sent_to(MELISSA)
        self.assertIn("Cancelled: Pat Jones for", email.subject)
        self.assertIn("Pat Jones has cancelled their booking for help at:", email.body)
        self.assertIn(f"/sessions/{self.session.pk}/bookings/", email.body)
        self.assertIn("List-Unsubscribe", email.extra_headers)

    def test_an_organiser_who_chose_the_digest_finds_the_cancellation_in_it(self):
        with self.sending():
            self.client.post(f"/bookings/{self.booking.token}/cancel/")
        self.assertEqual(self.sent_to(MELISSA), [])
        with time_machine.travel(next_digest_at() + dt.timedelta(hours=5)):
            run_due_tasks()
        (digest,) = self.sent_to(MELISSA)
        cancelled = digest.body.split("Cancelled since yesterday:")[1]
        self.assertIn("Pat Jones, for help", cancelled)
        self.assertIn("Cancelled since yesterday:", digest.alternatives[0].content)

    def test_a_digest_of_cancellations_only_says_so(self):
        with time_machine.travel(next_digest_at() + dt.timedelta(hours=1)):
            with self.sending():
                self.client.post(f"/bookings/{self.booking.token}/cancel/")
            with time_machine.travel(next_digest_at() + dt.timedelta(hours=5)):
                run_due_tasks()
        (digest,) = self.sent_to(MELISSA)
        self.assertIn("1 cancelled booking for Stourbridge", digest.subject)
        self.assertNotIn("New since yesterday", digest.body)

    def test_the_digest_does_not_list_places_released_by_calling_a_session_off(self):
        ann = self.book(self.make_session(days=14), name="Ann")
        self.client.force_login(self.organiser)
        with self.sending():
            self.client.post(f"/bookings/{ann.token}/cancel/")
            self.client.post(f"/sessions/{self.session.pk}/cancel/")
        self.assertEqual(self.cancelled_emails(PAT), [])
        with time_machine.travel(next_digest_at() + dt.timedelta(hours=5)):
            run_due_tasks()
        (digest,) = self.sent_to(MELISSA)
        cancelled = digest.body.split("Cancelled since yesterday:")[1]
        self.assertIn("Ann, for help", cancelled)
        self.assertNotIn("Pat Jones", cancelled)

    def test_an_organiser_who_chose_no_emails_gets_none(self):
        Organiser.objects.filter(user=self.organiser).update(booking_emails="none")
        with self.sending():
            self.client.post(f"/bookings/{self.booking.token}/cancel/")
        with time_machine.travel(next_digest_at() + dt.timedelta(hours=5)):
            run_due_tasks()
        self.assertEqual(self.sent_to(MELISSA), [])

    def test_cancelling_twice_sends_once(self):
        self.each_booking()
        with self.sending():
            self.client.post(f"/bookings/{self.booking.token}/cancel/")
            self.client.post(f"/bookings/{self.booking.token}/cancel/")
        with self.sending():
            self.client.post(f"/bookings/{self.booking.token}/cancel/")
        self.assertEqual(len(self.cancelled_emails(PAT)), 1)
        self.assertEqual(len(self.sent_to(MELISSA)), 1)

    def test_declining_a_booking_sends_no_cancellation_email(self):
        self.each_booking()
        self.client.force_login(self.organiser)
        url = f"/sessions/{self.session.pk}/bookings/{self.booking.pk}/decline/"
        with self.sending():
            r = self.client.post(url, {"message": "We help community groups, not businesses."})
        self.assertRedirects(r, f"/sessions/{self.session.pk}/bookings/")
        (email,) = self.sent_to(PAT)
        self.assertIn("About your booking", email.subject)
        self.assertEqual(self.cancelled_emails(PAT), [])
        self.assertEqual(self.sent_to(MELISSA), [])

    def test_no_cancellation_email_once_contact_is_withdrawn(self):
        consents.record(email=PAT, kinds=[consents.CONTACT], source="choices", given=False)
        with self.sending():
            self.client.post(f"/bookings/{self.booking.token}/cancel/")
        self.assertEqual(self.sent_to(PAT), [])

    def test_leaving_the_waiting_list_is_confirmed_too(self):
        self.session.help_places = 1
        self.session.save()
        waiting = self.book(name="Wendy")
        with self.sending():
            self.client.post(f"/bookings/{waiting.token}/cancel/")
        (email,) = self.sent_to("wendy@example.org")
        self.assertIn("is cancelled", email.subject)
        self.assertEqual(mail.outbox, [email])
