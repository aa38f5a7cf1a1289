"""The day's console costs the same queries for a quiet session and a packed café."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.helprecords import services
from alongside.test import BaseTestCase


class ConsoleGrowsTestCase(BaseTestCase):
    def setUp(self):
        self.today = self.make_session(
            days=0,
            start_time=dt.time(0, 0),
            end_time=dt.time(23, 59),
            help_places=40,
            surgeon_places=15,
        )
        self.url = f"/sessions/{self.today.pk}/console/"
        self.client.force_login(self.organiser)

    def queries(self, **headers) -> int:
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(self.url, headers=headers).status_code, 200)
        return len(ctx.captured_queries)

    def arrive(self, start: int, count: int) -> None:
        """People wanting help and surgeons: most here, some paired and helped, some to come."""
        for n in range(start, start + count):
            if n % 3 == 2:
                booking = self.offer_help(self.today, name=f"Helper {n}", email=f"h{n}@example.org")
            else:
                booking = self.book(
                    self.today,
                    name=f"Person {n}",
                    organisation_name="" if n % 4 == 1 else f"Group {n}",
                    topics=[self.facebook, self.website],
                )
            if n % 5 != 4:  # the rest are still to come
                self.client.post(f"{self.url}check-in/{booking.pk}/")
            if n % 3 == 2 and n % 5 != 4:
                person = self.today.bookings.filter(
                    role="help", checked_in_at__isnull=False, pairings__isnull=True
                ).first()
                if person is not None:
                    pair = {"person": person.pk, "surgeon": booking.pk}
                    self.client.post(f"{self.url}pair/", pair)
        self.client.post(f"{self.url}walk-in/", {"role": "help", "name": f"Walk-in {start}"})

    def test_the_board_costs_the_same_for_3_people_or_25(self):
        self.arrive(0, 3)
        small, small_refresh = self.queries(), self.queries(**{"HX-Request": "true"})
        self.arrive(3, 22)
        self.assertGreaterEqual(self.today.bookings.count(), 27)
        self.assertTrue(self.today.pairings.exists())
        self.assertEqual(self.queries(), small)
        self.assertEqual(self.queries(**{"HX-Request": "true"}), small_refresh)
        self.assertContains(self.client.get(self.url), "Person 22")

    def record_one(self) -> None:
        pairing = self.today.pairings.filter(ended_at__isnull=True).first()
        assert pairing is not None
        services.pairing_end(pairing=pairing, actor=self.organiser)
        services.help_record_add(
            booking=pairing.person,
            surgeon=pairing.surgeon,
            pairing=pairing,
            topics=[self.website],
            note="Set up a page",
            links=[],
            public=False,
            actor=self.organiser,
        )

    def test_each_record_of_help_costs_no_query_of_its_own(self):
        # The board reads records and pairings with only the names it shows: none is read
        # again for each row.
        self.arrive(0, 25)
        self.record_one()
        self.queries()
        one = self.queries()
        self.record_one()
        self.queries()
        self.assertEqual(self.queries(), one)
        self.assertEqual(self.today.help_records.count(), 2)
