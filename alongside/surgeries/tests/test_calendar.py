"""The network calendar: every upcoming public session, by area, filterable by area and month."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.surgeries.models import Area, Surgery
from alongside.test import RENDERED, BaseTestCase, make_surgery


class NetworkCalendarTestCase(BaseTestCase):
    def setUp(self):
        region = Area.objects.create(name="West Midlands", slug="west-midlands")
        self.dudley = Area.objects.create(
            name="Dudley borough", slug="dudley-borough", parent=region
        )
        self.sandwell = Area.objects.create(name="Sandwell", slug="sandwell", parent=region)
        Surgery.objects.filter(pk=self.surgery.pk).update(area=self.dudley)
        Surgery.objects.filter(pk=self.other_surgery.pk).update(area=self.sandwell)
        self.nowhere = make_surgery("Tipton Social Media Surgery", "tipton", self.other_organiser)
        self.tipton = self.make_session(days=3, surgery=self.nowhere)
        self.dudley_session = self.make_session(days=10, surgery=self.other_surgery)

    def test_it_lists_sessions_by_area_with_other_places_last(self):
        r = self.client.get("/calendar/")
        self.assertContains(r, "Calendar of surgeries")
        text = r.content.decode()
        order = [
            text.index(h) for h in ("Dudley borough</h2>", "Sandwell</h2>", "Other places</h2>")
        ]
        self.assertEqual(order, sorted(order))
        for session in (self.session, self.tipton, self.dudley_session):
            self.assertContains(r, f'href="/sessions/{session.pk}/"')

    def test_it_leaves_out_past_cancelled_and_unlisted_sessions(self):
        past = self.make_session(days=-3)
        cancelled = self.make_session(days=4, cancelled_at=timezone.now())
        Surgery.objects.filter(pk=self.nowhere.pk).update(closed_at=timezone.now())
        proposed = make_surgery("Oldbury", "oldbury", self.other_organiser)
        Surgery.objects.filter(pk=proposed.pk).update(approved_at=None)
        waiting = self.make_session(days=5, surgery=proposed)
        r = self.client.get("/calendar/")
        for session in (past, cancelled, self.tipton, waiting):
            self.assertNotContains(r, f'href="/sessions/{session.pk}/"')

    def test_it_filters_by_area_including_areas_inside_it(self):
        r = self.client.get("/calendar/?area=sandwell")
        self.assertContains(r, f'href="/sessions/{self.dudley_session.pk}/"')
        self.assertNotContains(r, f'href="/sessions/{self.session.pk}/"')
        r = self.client.get("/calendar/?area=west-midlands")
        self.assertContains(r, f'href="/sessions/{self.dudley_session.pk}/"')
        self.assertContains(r, f'href="/sessions/{self.session.pk}/"')
        self.assertNotContains(r, f'href="/sessions/{self.tipton.pk}/"')

    def test_it_filters_by_month(self):
        later = self.make_session(days=70)
        month = later.date.strftime("%Y-%m")
        r = self.client.get(f"/calendar/?month={month}")
        self.assertContains(r, f'href="/sessions/{later.pk}/"')
        self.assertNotContains(r, f'href="/sessions/{self.tipton.pk}/"')

    def test_nothing_found_says_so_kindly(self):
        far = (timezone.localdate().replace(day=1) + dt.timedelta(days=150)).strftime("%Y-%m")
        r = self.client.get(f"/calendar/?month={far}&area=sandwell")
        self.assertContains(r, "No sessions are planned for that choice.")

    def test_it_is_linked_from_the_directory_and_the_menu(self):
        r = self.client.get("/surgeries/")
        self.assertContains(r, 'href="/calendar/"', count=2)

    @RENDERED
    def test_the_query_count_does_not_grow_with_sessions(self):
        def count() -> int:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get("/calendar/?area=west-midlands").status_code, 200)
            return len(queries)

        before = count()
        for n in range(8):
            surgery = make_surgery(f"Surgery {n}", f"surgery-{n}", self.other_organiser)
            Surgery.objects.filter(pk=surgery.pk).update(area=self.sandwell)
            self.make_session(days=n + 1, surgery=surgery)
            self.make_session(days=n + 20, surgery=surgery)
        with self.assertNumQueries(before):
            self.client.get("/calendar/?area=west-midlands")
        # The area (from its slug), the areas below it, the sessions, the area choices.
        self.assertEqual(before, 4)

    def test_the_calendar_file_is_still_there(self):
        r = self.client.get("/calendar.ics")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"].split(";")[0], "text/calendar")
