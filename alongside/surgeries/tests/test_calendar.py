"""The network calendar: every upcoming public session, by area, filterable by area and month."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django import forms
from django.test import override_settings
from django.utils import timezone

from alongside.surgeries import changelog, views
from alongside.surgeries.forms import CalendarForm
from alongside.surgeries.models import Area, Session, Surgery, Venue
from alongside.surgeries.templatetags.cards import calendar_entry
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

    def test_the_area_choices_are_those_of_every_area_as_rows(self):
        # Read as slugs and names, the choices write what Django's field of rows wrote.
        Area.objects.create(name="Ards & <North> Down", slug="ards")
        rows = forms.ModelChoiceField(
            queryset=Area.objects.all(),
            to_field_name="slug",
            required=False,
            empty_label="All areas",
            label="Area",
        )
        today = timezone.localdate()
        for data in ({}, {"area": "sandwell"}, {"area": "atlantis"}):
            with self.subTest(data=data):
                form = CalendarForm(data, today=today)
                form.is_valid()

                class Rows(forms.Form):
                    area = rows

                expected = Rows(data)
                expected.is_valid()
                self.assertEqual(str(form["area"]), str(expected["area"]))
        chosen = CalendarForm({"area": "sandwell"}, today=today)
        self.assertTrue(chosen.is_valid())
        self.assertIn('<option value="sandwell" selected>Sandwell</option>', str(chosen["area"]))
        self.assertIn("Ards &amp; &lt;North&gt; Down", str(chosen["area"]))
        self.assertEqual(chosen.cleaned_data["area"], self.sandwell)

    @override_settings(PAGE_CACHE_SECONDS=0)  # the page afresh each time: only its form kept
    def test_the_choices_written_once_are_the_areas_as_they_are_now(self):
        # The form is kept by what it shows (lib/keptforms.py): written, then kept.
        for _ in range(2):
            page = self.client.get("/calendar/?area=sandwell").content.decode()
            self.assertIn('<option value="sandwell" selected>Sandwell</option>', page)
        Area.objects.filter(pk=self.sandwell.pk).update(name="Sandwell & Oldbury")
        page = self.client.get("/calendar/?area=sandwell").content.decode()
        self.assertIn('<option value="sandwell" selected>Sandwell &amp; Oldbury</option>', page)
        page = self.client.get("/calendar/").content.decode()
        self.assertIn('<option value="sandwell">Sandwell &amp; Oldbury</option>', page)
        self.assertIn('<option value="" selected>All areas</option>', page)

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
        # The area (from its slug), the areas below it, which sessions are on the page (and
        # whether there are more), the change log's stamp and each surgery's place in it,
        # those sessions, their places taken, the area choices.
        self.assertEqual(before, 8)
        # Nothing changed since: the lines are kept, and only the log's stamp is read.
        self.assertEqual(count(), 5)

    @RENDERED
    def test_each_line_is_its_session_as_it_is_now(self):
        # Each line is kept by its session and its surgery's place in the change log: written
        # from its row, it is the line its session writes, and any change logged for its
        # surgery writes it afresh. A bulk update logs its surgery, as the services' do.
        def logged(rows, **fields):
            return lambda: (rows.update(**fields), changelog.changed(surgery_id=self.surgery.pk))

        Session.objects.filter(pk=self.tipton.pk).update(
            online_url="https://meet.example.org/t", help_places=1
        )
        changelog.changed(surgery_id=self.nowhere.pk)

        def shown() -> str:
            return self.client.get("/calendar/").content.decode()

        def assert_lines_are_sessions_as_now():
            page = shown()
            sessions = Session.objects.filter(pk__in=self.listed).with_counts()
            for session in sessions.select_related("surgery", "venue"):
                self.assertIn(calendar_entry(session), page)

        self.listed = [self.session.pk, self.tipton.pk, self.dudley_session.pk]
        stourbridge = Surgery.objects.filter(pk=self.surgery.pk)
        changes = [
            lambda: None,
            lambda: self.book(session=self.tipton),  # now full
            lambda: self.book(session=self.session),  # one place fewer
            logged(Venue.objects.filter(pk=self.venue.pk), name="The Crown"),
            logged(stourbridge, name="Lye Surgery"),
            logged(stourbridge, time_zone="America/Toronto"),
            logged(Session.objects.filter(pk=self.session.pk), start_time=dt.time(9)),
        ]
        for change in changes:
            change()
            with self.subTest(change=change):
                assert_lines_are_sessions_as_now()
        self.assertIn("Full: waiting list", shown())
        self.assertIn("Lye Surgery", shown())
        self.assertIn("Toronto time", shown())
        # A surgery moved to another area takes its lines with it.
        self.nowhere.area = self.sandwell
        self.nowhere.save()
        page = shown()
        self.assertNotIn("Other places</h2>", page)
        sandwell = page[page.index("Sandwell</h2>") :]
        self.assertIn(f'href="/sessions/{self.tipton.pk}/"', sandwell)

    @RENDERED
    def test_when_more_lines_are_kept_than_it_keeps_it_starts_again(self):
        shown = self.client.get("/calendar/").content
        with mock.patch.object(views._lines, "most", 2):
            for _ in range(2):
                self.assertEqual(self.client.get("/calendar/").content, shown)

    def test_it_comes_a_page_at_a_time_keeping_the_choice(self):
        with mock.patch("alongside.surgeries.views.CALENDAR_PAGE", 2):
            r = self.client.get("/calendar/")
            for session in (self.tipton, self.session):
                self.assertContains(r, f'href="/sessions/{session.pk}/"')
            self.assertNotContains(r, f'href="/sessions/{self.dudley_session.pk}/"')
            self.assertContains(r, 'href="?page=2" rel="next"')
            self.assertContains(r, "<span>Page 1</span>", html=False)
            self.book(session=self.dudley_session)
            r = self.client.get("/calendar/?page=2")
            self.assertContains(r, f'href="/sessions/{self.dudley_session.pk}/"')
            self.assertContains(r, "7 places left")
            self.assertNotContains(r, "Show all")
            self.assertNotContains(r, f'href="/sessions/{self.session.pk}/"')
        # The area and month chosen stay chosen on the next page.
        self.make_session(days=7, surgery=self.other_surgery)
        month = self.session.date.strftime("%Y-%m")
        with mock.patch("alongside.surgeries.views.CALENDAR_PAGE", 1):
            r = self.client.get(f"/calendar/?area=west-midlands&month={month}")
        self.assertContains(r, f'href="?area=west-midlands&amp;month={month}&amp;page=2"')

    def test_the_last_page_has_no_next_and_a_page_beyond_it_goes_back_to_the_first(self):
        with mock.patch("alongside.surgeries.views.CALENDAR_PAGE", 3):
            r = self.client.get("/calendar/")
            self.assertNotContains(r, 'rel="next"')
            self.assertNotContains(r, 'class="pagination"')
            self.make_session(days=30)
            r = self.client.get("/calendar/?page=2")
            self.assertContains(r, 'rel="prev"')
            self.assertNotContains(r, 'rel="next"')
            self.assertContains(r, "<span>Page 2</span>", html=False)
            self.assertRedirects(
                self.client.get("/calendar/?area=west-midlands&page=4"),
                "/calendar/?area=west-midlands",
            )
            self.assertRedirects(self.client.get("/calendar/?page=9"), "/calendar/")
            for nonsense in ("0", "-1", "two", "1e3", "99999999999999999999", "٣"):
                with self.subTest(page=nonsense):
                    r = self.client.get(f"/calendar/?page={nonsense}")
                    self.assertEqual(r.status_code, 200)
                    self.assertContains(r, f'href="/sessions/{self.tipton.pk}/"')

    def test_sessions_at_the_same_time_are_each_on_one_page(self):
        same = [self.make_session(days=12), self.make_session(days=12, surgery=self.nowhere)]
        expected = [self.tipton, self.session, self.dudley_session, *same]
        seen = []
        with mock.patch("alongside.surgeries.views.CALENDAR_PAGE", 1):
            for number in range(1, len(expected) + 1):
                text = self.client.get(f"/calendar/?page={number}").content.decode()
                seen += [s.pk for s in expected if f'href="/sessions/{s.pk}/"' in text]
        self.assertEqual(sorted(seen), sorted(s.pk for s in expected))

    def test_the_calendar_file_is_still_there(self):
        r = self.client.get("/calendar.ics")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"].split(";")[0], "text/calendar")
