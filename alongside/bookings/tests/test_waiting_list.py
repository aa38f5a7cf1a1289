"""Someone on a waiting list sees where they stand, and gets a calendar only with a place."""

from __future__ import annotations

from django.core import mail

from alongside.test import BaseTestCase


class WaitingListTestCase(BaseTestCase):
    def setUp(self):
        self.session.help_places = 1
        self.session.save()
        self.first = self.book(name="First")
        self.second = self.book(name="Second")
        self.third = self.book(name="Third")

    def test_the_booking_page_says_where_someone_stands_on_the_waiting_list(self):
        r = self.client.get(f"/bookings/{self.second.token}/")
        self.assertContains(r, "You are on the waiting list")
        self.assertContains(r, "You are number 1 on the waiting list.")
        r = self.client.get(f"/bookings/{self.third.token}/")
        self.assertContains(r, "You are number 2 on the waiting list.")

    def test_the_number_goes_down_when_someone_ahead_leaves_the_list(self):
        self.client.post(f"/bookings/{self.second.token}/cancel/")
        r = self.client.get(f"/bookings/{self.third.token}/")
        self.assertContains(r, "You are number 1 on the waiting list.")

    def test_the_number_goes_down_when_the_first_person_waiting_is_moved_up(self):
        self.client.post(f"/bookings/{self.first.token}/cancel/")
        self.assertContains(
            self.client.get(f"/bookings/{self.third.token}/"),
            "You are number 1 on the waiting list.",
        )
        r = self.client.get(f"/bookings/{self.second.token}/")
        self.assertContains(r, "You are booked in")
        self.assertNotContains(r, "on the waiting list")

    def test_waiting_lists_for_help_and_for_surgeons_are_counted_apart(self):
        self.session.surgeon_places = 0
        self.session.save()
        offer = self.offer_help()
        r = self.client.get(f"/bookings/{offer.token}/")
        self.assertContains(r, "You are number 1 on the waiting list.")

    def test_no_calendar_link_while_waiting_and_one_once_the_place_is_theirs(self):
        ics = f"/sessions/{self.session.pk}/calendar.ics"
        r = self.client.get(f"/bookings/{self.second.token}/")
        self.assertNotContains(r, "Add to my calendar")
        self.assertNotContains(r, ics)
        with self.sending():
            self.client.post(f"/bookings/{self.first.token}/cancel/")
        r = self.client.get(f"/bookings/{self.second.token}/")
        self.assertContains(r, "Add to my calendar")
        self.assertContains(r, ics)
        (promoted,) = self.sent_to("second@example.org")
        ((name, _content, _mimetype),) = promoted.attachments
        self.assertEqual(name, "session.ics")

    def test_the_waiting_list_email_says_their_number_and_carries_no_calendar(self):
        with self.sending():
            fourth = self.book(name="Fourth")
        (email,) = mail.outbox
        self.assertEqual(email.to, ["fourth@example.org"])
        self.assertIn("You are on the waiting list", email.subject)
        self.assertIn("You are number 3 on the waiting list.", email.body)
        self.assertIn("You are number 3 on the waiting list.", email.alternatives[0].content)
        self.assertEqual(email.attachments, [])
        self.assertIn(f"/bookings/{fourth.token}/cancel/", email.body)

    def test_a_moved_session_sends_no_calendar_to_those_still_waiting(self):
        self.client.force_login(self.organiser)
        data = {
            "date": self.session.date.isoformat(),
            "start_time": "19:00",
            "end_time": "21:00",
            "venue": self.venue.pk,
            "help_places": 1,
            "surgeon_places": 3,
        }
        with self.sending():
            self.client.post(f"/sessions/{self.session.pk}/edit/", data)
        (booked,) = self.sent_to("first@example.org")
        self.assertEqual(len(booked.attachments), 1)
        (waiting,) = self.sent_to("second@example.org")
        self.assertEqual(waiting.attachments, [])
