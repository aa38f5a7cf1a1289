"""Times as people in the UK write them, on pages, in emails and in feeds."""

from __future__ import annotations

import datetime as dt

from alongside.lib.times import uk_time, uk_time_range
from alongside.surgeries.models import Session
from alongside.test import BaseTestCase


class UkTimeTestCase(BaseTestCase):
    def test_the_helper_writes_times_as_people_do(self):
        cases = {
            dt.time(10): "10am",
            dt.time(12): "12 noon",
            dt.time(0): "12 midnight",
            dt.time(18, 30): "6:30pm",
            dt.time(9, 5): "9:05am",
            dt.time(12, 15): "12:15pm",
            dt.time(0, 45): "12:45am",
        }
        for value, written in cases.items():
            with self.subTest(value=value):
                self.assertEqual(uk_time(value), written)
        self.assertEqual(uk_time_range(dt.time(10), dt.time(12)), "10am to 12 noon")
        self.assertEqual(uk_time(None), "")

    def test_pages_emails_and_feeds_use_it(self):
        Session.objects.filter(pk=self.session.pk).update(
            start_time=dt.time(10), end_time=dt.time(12)
        )
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(r, "10am to 12 noon")
        self.assertNotContains(r, "a.m.")
        self.assertContains(self.client.get("/feeds/sessions.atom"), "10am to 12 noon")
        with self.sending():
            self.book_patient()
        (confirmation,) = self.sent_to("pat@example.org")
        self.assertIn("10am to 12 noon", confirmation.body)
        self.assertNotIn("a.m.", confirmation.body)
