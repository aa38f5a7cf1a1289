"""The API's count of sessions with a place left, kept in each process by the change log."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.api import places
from alongside.bookings import services as booking_services
from alongside.surgeries import changelog
from alongside.surgeries.models import Audience, Organisation, Session
from alongside.test import BaseTestCase


class KeptCountTestCase(BaseTestCase):
    def counted(self, start: dt.date | None = None, end: dt.date | None = None) -> int:
        """The kept count, checked against counting every session again."""
        today = timezone.localdate()
        kept = places.how_many(today=today, start=start, end=end)
        found = places.open_sessions(today)
        if start:
            found = found.filter(date__gte=start)
        if end:
            found = found.filter(date__lte=end)
        self.assertEqual(kept, found.count())
        return kept

    def test_each_change_to_places_is_counted_at_once(self):
        full = self.make_session(days=3, help_places=1, surgery=self.other_surgery)
        self.assertEqual(self.counted(), 2)
        booking = self.book(full, name="Ann")
        self.assertEqual(self.counted(), 1)
        booking_services.booking_cancel(booking=booking)
        self.assertEqual(self.counted(), 2)
        booking_services.session_cancel(session=full, actor=self.other_organiser)
        self.assertEqual(self.counted(), 1)
        self.make_session(days=30)
        self.assertEqual(self.counted(), 2)
        organisation = Organisation.objects.create(name="Dudley Council")
        self.surgery.audience, self.surgery.members_of = Audience.MEMBERS, organisation
        self.surgery.save()
        self.assertEqual(self.counted(), 0)

    def test_places_kept_for_members_are_not_free(self):
        organisation = Organisation.objects.create(name="Dudley Council")
        self.surgery.audience, self.surgery.members_of = Audience.BOTH, organisation
        self.surgery.save()
        kept = self.make_session(days=3, help_places=2, member_places=1)
        self.assertEqual(self.counted(), 2)
        self.book(kept, name="Ann")
        self.assertEqual(self.counted(), 1)

    def test_dates_are_counted_from_the_kept_days(self):
        today = timezone.localdate()
        for days in (2, 10, 20):
            self.make_session(days=days, surgery=self.other_surgery)
        self.assertEqual(self.counted(), 4)
        self.assertEqual(self.counted(start=today + dt.timedelta(days=7)), 3)
        self.assertEqual(self.counted(end=today + dt.timedelta(days=7)), 2)
        week = today + dt.timedelta(days=7)
        self.assertEqual(self.counted(start=week, end=week), 1)
        self.assertEqual(self.counted(start=today - dt.timedelta(days=30), end=today), 0)

    def test_a_new_day_counts_every_surgery_again(self):
        self.make_session(days=1)
        self.assertEqual(self.counted(), 2)
        later = timezone.localdate() + dt.timedelta(days=2)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(places.how_many(today=later, start=None, end=None), 1)
        self.assertNotIn('"surgery_id" IN', queries[-1]["sql"])

    def test_nothing_changed_is_one_query_and_a_booking_counts_one_surgery_again(self):
        self.make_session(days=3, surgery=self.other_surgery)
        self.counted()
        with self.assertNumQueries(1):  # the log's stamp
            places.how_many(today=timezone.localdate(), start=None, end=None)
        self.book(self.session, name="Ann")
        with CaptureQueriesContext(connection) as queries:
            places.how_many(today=timezone.localdate(), start=None, end=None)
        # The stamp, each surgery's place in the log, and this surgery's sessions.
        self.assertEqual(len(queries), 3)
        self.assertIn(f'"surgery_id" IN ({self.surgery.pk})', queries[-1]["sql"])
        self.assertEqual(self.counted(), 2)

    def test_a_change_logged_for_every_surgery_counts_them_all_again(self):
        self.counted()
        # A load in bulk sends no signals, and logs one change for everywhere at the end.
        day = timezone.localdate() + dt.timedelta(days=3)
        hours = {"start_time": dt.time(18), "end_time": dt.time(20)}
        hours |= {"help_places": 8, "surgeon_places": 3}
        Session.objects.bulk_create([Session(surgery=self.other_surgery, date=day, **hours)])
        self.assertEqual(places.how_many(today=timezone.localdate(), start=None, end=None), 1)
        changelog.changed()
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.counted(), 2)
        self.assertNotIn('"surgery_id" IN', queries[2]["sql"])

    def test_many_surgeries_moved_are_counted_in_one_go(self):
        self.counted()
        self.make_session(days=3, surgery=self.other_surgery)
        with (
            mock.patch.object(places, "MOST_ONE_BY_ONE", 0),
            CaptureQueriesContext(connection) as queries,
        ):
            self.assertEqual(self.counted(), 2)
        self.assertNotIn('"surgery_id" IN', queries[2]["sql"])
