"""Times as people in the UK write them, on pages, in emails and in feeds."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.template import Context, Template, defaultfilters
from django.test import SimpleTestCase, override_settings
from django.utils import timezone, translation

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


class DateFilterTestCase(SimpleTestCase):
    """The `date` filter remembers what it wrote; it must write what Django's would."""

    def render(self, value, fmt: str = "D j M Y H:i T") -> str:
        return Template("{{ value|date:fmt }}").render(Context({"value": value, "fmt": fmt}))

    def test_it_writes_what_djangos_filter_writes(self):
        moment = dt.datetime(2026, 12, 8, 10, 30, tzinfo=dt.UTC)
        for value in (dt.date(2026, 12, 8), moment, None, "", "soon", ["a list"]):
            with self.subTest(value=value):
                self.assertEqual(
                    self.render(value, "D j M Y"), defaultfilters.date(value, "D j M Y")
                )

    def test_the_same_moment_is_written_by_each_zones_clock(self):
        moment = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
        with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
            self.assertEqual(self.render(moment, "H:i"), "10:00")
        with timezone.override(zoneinfo.ZoneInfo("Europe/Dublin")):
            self.assertEqual(self.render(moment, "H:i"), "10:00")
        with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
            self.assertEqual(self.render(moment, "H:i"), "05:00")
        with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
            self.assertEqual(self.render(moment, "H:i"), "10:00")

    def test_each_language_has_its_own_month_names(self):
        day = dt.date(2026, 12, 8)
        self.assertEqual(self.render(day, "j F"), "8 December")
        with translation.override("cy"):
            self.assertEqual(self.render(day, "j F"), "8 Rhagfyr")
        self.assertEqual(self.render(day, "j F"), "8 December")

    def test_a_changed_setting_is_not_written_from_memory(self):
        naive = dt.datetime(2026, 12, 8, 10, 30)  # noqa: DTZ001 - written in the default zone
        self.assertEqual(self.render(naive, "T"), "GMT")
        with override_settings(TIME_ZONE="America/New_York"):
            self.assertEqual(self.render(naive, "T"), "EST")
        self.assertEqual(self.render(naive, "T"), "GMT")
