from __future__ import annotations

from django.core import mail

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.test import BaseTestCase


class CancelTestCase(BaseTestCase):
    def setUp(self):
        self.session.help_places = 1
        self.session.save()
        self.first = self.book(name="First")
        self.second = self.book(name="Second")
        self.third = self.book(name="Third")

    def test_it_asks_before_cancelling(self):
        r = self.client.get(f"/bookings/{self.first.token}/cancel/")
        self.assertContains(r, "Cancel your booking?")
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, "booked")

    def test_a_cancellation_gives_the_place_to_the_first_person_waiting(self):
        self.assertEqual([self.second.status, self.third.status], ["waiting", "waiting"])
        with self.sending():
            r = self.client.post(f"/bookings/{self.first.token}/cancel/")
        self.assertRedirects(r, f"/bookings/{self.first.token}/")
        statuses = dict(Booking.objects.values_list("name", "status"))
        self.assertEqual(statuses, {"First": "cancelled", "Second": "booked", "Third": "waiting"})
        (promoted,) = self.sent_to("second@example.org")
        self.assertIn("a place at Stourbridge Social Media Surgery", promoted.subject)
        self.assertIn(f"/bookings/{self.second.token}/cancel/", promoted.body)
        self.assertContains(self.client.get(r.url), "This booking is cancelled")
        actions = list(AuditEntry.objects.values_list("action", flat=True)[:2])
        self.assertEqual(actions, ["booking.promote", "booking.cancel"])

    def test_cancelling_twice_frees_only_one_place(self):
        self.client.post(f"/bookings/{self.first.token}/cancel/")
        self.client.post(f"/bookings/{self.first.token}/cancel/")
        statuses = dict(Booking.objects.values_list("name", "status"))
        self.assertEqual(statuses["Third"], "waiting")

    def test_leaving_the_waiting_list_moves_nobody_up(self):
        with self.sending():
            self.client.post(f"/bookings/{self.second.token}/cancel/")
        statuses = dict(Booking.objects.values_list("name", "status"))
        self.assertEqual(statuses, {"First": "booked", "Second": "cancelled", "Third": "waiting"})
        self.assertEqual([m.to for m in mail.outbox], [["second@example.org"]])
        self.assertIn("is cancelled", mail.outbox[0].subject)

    def test_raising_the_places_moves_people_up(self):
        self.client.force_login(self.organiser)
        data = {
            "date": self.session.date.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "venue": self.venue.pk,
            "help_places": 3,
            "surgeon_places": 3,
        }
        with self.sending():
            r = self.client.post(f"/sessions/{self.session.pk}/edit/", data)
        self.assertRedirects(r, f"/sessions/{self.session.pk}/bookings/")
        statuses = set(Booking.objects.values_list("status", flat=True))
        self.assertEqual(statuses, {"booked"})
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["second@example.org", "third@example.org"]
        )

    def test_a_finished_session_cannot_be_cancelled(self):
        past = self.make_session(days=-3)
        booking = self.book(past, name="Late")
        r = self.client.post(f"/bookings/{booking.token}/cancel/")
        self.assertContains(r, "This booking cannot be cancelled")
        booking.refresh_from_db()
        self.assertEqual(booking.status, "booked")
