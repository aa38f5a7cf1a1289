"""Who is coming costs the same queries for a quiet session and a packed one."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.outbox import bounces
from alongside.test import BaseTestCase


class WhoIsComingGrowsTestCase(BaseTestCase):
    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def people(self, start: int, count: int) -> None:
        """People wanting help (some from organisations, some helped) and surgeons offering."""
        for n in range(start, start + count):
            if n % 4 == 3:
                self.offer_help(name=f"Helper {n}", email=f"h{n}@example.org")
                continue
            booking = self.book(
                name=f"Person {n}",
                organisation_name=f"Group {n}" if n % 2 else "",
                topics=[self.facebook, self.website],
            )
            if n % 3 == 0:
                record = HelpRecord.objects.create(
                    session=self.session, booking=booking, note="Helped."
                )
                record.topics.set([self.facebook])
                record.links.create(url=f"https://example.org/{n}")

    def test_the_page_costs_the_same_for_a_few_bookings_or_25_with_a_waiting_list(self):
        self.client.force_login(self.organiser)
        url = f"/sessions/{self.session.pk}/bookings/"
        self.people(0, 4)
        small = self.queries(url)
        # Past its eight places for help and three for surgeons: the rest wait.
        self.people(4, 21)
        bounces.mark(email="person.5@example.org", reason="Mailbox full", source="test")
        self.assertEqual(self.session.bookings.count(), 25)
        self.assertTrue(self.session.bookings.filter(status=Booking.Status.WAITING).exists())
        self.assertEqual(self.queries(url), small)
        r = self.client.get(url)
        self.assertContains(r, "Person 24")
        self.assertContains(r, "https://example.org/21")
        self.assertContains(r, "Emails to this address bounce.")
