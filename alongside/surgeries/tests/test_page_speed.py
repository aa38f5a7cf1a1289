"""The page types benchmarks/pages.py measures: what the speed fixes must keep showing, and
query counts pinned for those that had none, so none grows with the size of the network."""

from __future__ import annotations

from django.utils import timezone

from alongside.helprecords.models import HelpRecord
from alongside.surgeries.models import Surgery
from alongside.test import RENDERED, BaseTestCase


class PageSpeedTestCase(BaseTestCase):
    def test_home_lists_the_twelve_soonest_sessions_with_their_places(self):
        later = [self.make_session(days=days) for days in range(20, 6, -1)]  # 14, latest first
        self.book(later[-1], name="Pat")
        r = self.client.get("/")
        shown = [s.pk for s in r.context["sessions"]]
        soonest = [self.session.pk, *[s.pk for s in reversed(later)]][:12]
        self.assertEqual(shown, soonest)
        self.assertEqual(r.context["sessions"][1].help_taken, 1)

    def test_recent_help_shows_the_latest_five_by_session_date(self):
        for days in range(1, 9):
            past = self.make_session(days=-days * 7)
            booking = self.book(past, name=f"Person {days}")
            HelpRecord.objects.create(
                session=past, booking=booking, note=f"Help {days} weeks ago", public=True
            )
        r = self.client.get("/")
        notes = [help.note for help in r.context["recent_help"]]
        self.assertEqual(notes, [f"Help {days} weeks ago" for days in range(1, 6)])
        r = self.client.get("/surgeries/dudley/")
        self.assertEqual(r.context["recent_help"], [])

    def test_recent_help_keeps_every_record_of_the_fifth_date(self):
        past = self.make_session(days=-7)
        for n in range(6):
            booking = self.book(past, name=f"Person {n}")
            HelpRecord.objects.create(session=past, booking=booking, note=f"N{n}", public=True)
        r = self.client.get("/surgeries/stourbridge/")
        self.assertEqual(len(r.context["recent_help"]), 5)

    @RENDERED
    def test_session_page_query_count_does_not_grow_with_bookings(self):
        path = f"/sessions/{self.session.pk}/"
        self.client.get(path)
        with self.assertNumQueries(2):
            self.client.get(path)
        for n in range(5):
            self.book(name=f"Person {n}")
        with self.assertNumQueries(2):
            r = self.client.get(path)
        self.assertContains(r, "3 places left")

    @RENDERED
    def test_booking_form_query_count_does_not_grow(self):
        path = f"/sessions/{self.session.pk}/book/"
        self.client.get(path)
        with self.assertNumQueries(3):
            self.client.get(path)
        for n in range(5):
            self.book(name=f"Person {n}")
            self.make_session(days=n + 10)
        with self.assertNumQueries(3):
            self.client.get(path)

    @RENDERED
    def test_directory_near_a_place_lists_the_nearest_fifty(self):
        for n in range(55):
            Surgery.objects.create(
                name=f"Surgery {n:02}",
                slug=f"surgery-{n}",
                place_name="Somewhere",
                description="Help",
                who_for="Groups",
                latitude=52.45 + n / 100,
                longitude=-2.15,
                approved_at=timezone.now(),
            )
        with self.assertNumQueries(3):
            r = self.client.get("/surgeries/?q=Stourbridge")
        listed = r.context["surgeries"]
        self.assertEqual(r.context["total"], 50)
        self.assertEqual(len(listed), 20)  # a page of them
        distances = [s.distance for s in listed]
        self.assertEqual(distances, sorted(distances))
        self.assertEqual(len(r.context["map_data"]["surgeries"]), 20)
        self.assertContains(r, "The 50 surgeries nearest to Stourbridge")
        last = self.client.get("/surgeries/?q=Stourbridge&page=3").context["surgeries"]
        self.assertEqual(len(last), 10)
        self.assertGreaterEqual(last[0].distance, distances[-1])
        # Without a place, every surgery is counted, then the page's ids found and read.
        with self.assertNumQueries(4):
            r = self.client.get("/surgeries/")
        self.assertGreater(r.context["total"], 50)
        self.assertEqual(len(r.context["surgeries"]), 20)

    @RENDERED
    def test_figures_and_report_query_counts_do_not_grow(self):
        past = self.make_session(days=-7)
        for path in ("/impact/", "/surgeries/stourbridge/report/"):
            self.client.get(path)
            with self.subTest(path), self.assertNumQueries(2 if path == "/impact/" else 4):
                self.client.get(path)
        booking = self.book(past, name="Pat")
        HelpRecord.objects.create(session=past, booking=booking, note="More", public=True)
        for path in ("/impact/", "/surgeries/stourbridge/report/"):
            self.client.get(path)  # counted again after the change
            with self.subTest(path), self.assertNumQueries(2 if path == "/impact/" else 4):
                self.client.get(path)
