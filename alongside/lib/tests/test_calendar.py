"""Calendar files are written byte for byte as icalendar writes them, only faster."""

from __future__ import annotations

import datetime as dt
import random
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import SimpleTestCase
from django.utils import timezone
from icalendar import Calendar, Event, Timezone
from icalendar.parser import Contentline

from alongside.lib import calendar as ical


class FoldingTestCase(SimpleTestCase):
    def test_an_ascii_line_folds_as_icalendar_folds_it(self):
        # Escapes at every place a fold can fall: a backslash or a caret is never the last
        # character before a fold.
        chosen = random.Random(2026)
        alphabet = "abc XYZ,;:=\\^\\n0"
        lines = ["", "a" * 74, "a" * 75, "a" * 148, "a" * 149, "a" * 73 + "\\n" + "b" * 80]
        lines += ["x" * n + "\\" + "y" * 200 for n in range(60, 80)]
        lines += ["x" * n + "^^" + "y" * 200 for n in range(60, 80)]
        lines += [
            "".join(chosen.choice(alphabet) for _ in range(chosen.randint(0, 400)))
            for _ in range(500)
        ]
        for line in lines:
            with self.subTest(line=line):
                self.assertEqual(ical._fold(line).encode(), Contentline(line).to_ical())


class CalendarTestCase(SimpleTestCase):
    def test_a_calendar_is_written_as_icalendar_writes_it(self):
        london, toronto = ZoneInfo("Europe/London"), ZoneInfo("America/Toronto")
        start = dt.datetime(2026, 12, 8, 10, 0, tzinfo=london)
        stamp = dt.datetime(2026, 12, 6, 15, 0, 7, 123456, tzinfo=dt.UTC)
        texts = [
            ("Stourbridge Social Media Surgery", "Free help with Facebook, websites. ", "Café"),
            ("Cymorth gyda'r we: Caerdydd", "Help am ddim gyda ŵyr a ŷd; café “quotes”. ", ""),
            ("Short", "Back\\slash\\N, semi;colon,\r\nnew\rlines\n and a caret ^. ", "a,b;c"),
        ]
        entries = [
            ical.Entry(
                uid=f"session-{n}@example.org",
                created=dt.datetime(2026, 11, 1, 9, 30, 15, tzinfo=dt.UTC),
                start=(start + dt.timedelta(days=n)).astimezone(toronto if n % 4 == 1 else london),
                end=start + dt.timedelta(days=n, hours=2),
                summary=summary,
                location=f"{location} Stourbridge Library, Crown Centre, Stourbridge DY8 1YE",
                description=description * (n % 7),
                url=f"https://surgeries.example.org/sessions/{n}/?a=1,2;b",
                cancelled=n % 3 == 0,
                sequence=n % 3,
                geo=(52.456, -2.1) if n % 2 else None,
            )
            for n, (summary, description, location) in enumerate(texts * 8)
        ]
        for count in (0, 1, len(entries)):
            with self.subTest(count=count), mock.patch.object(timezone, "now", return_value=stamp):
                written = ical.calendar(entries[:count], name="Ŵyl, the network; all")
                self.assertEqual(written, _icalendar(entries[:count], "Ŵyl, the network; all"))

    def test_an_event_in_a_zone_unknown_to_icalendar_has_no_zone_written(self):
        stamp = dt.datetime(2026, 12, 6, 15, 0, tzinfo=dt.UTC)
        start = dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
        entry = ical.Entry(
            uid="session-1@example.org",
            created=stamp,
            start=start,
            end=start + dt.timedelta(hours=2),
            summary="Surgery",
            location="",
            description="",
            url="https://surgeries.example.org/sessions/1/",
            cancelled=False,
            sequence=0,
        )
        with mock.patch.object(timezone, "now", return_value=stamp):
            self.assertEqual(ical.calendar([entry], name="x"), _icalendar([entry], "x"))


def _icalendar(entries: list[ical.Entry], name: str) -> bytes:
    """The calendar as icalendar itself writes it, event by event."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Social media surgeries//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.calendar_name = name
    cal.add("refresh-interval", ical.REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", ical.REFRESH)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", timezone.now())
        event.add("created", entry.created)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        event.add("summary", entry.summary)
        event.add("location", entry.location)
        event.add("description", entry.description)
        event.add("url", entry.url)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        event.add("sequence", entry.sequence)
        if entry.geo is not None:
            event.add("geo", entry.geo)
        cal.add_component(event)
    if entries:
        dates = [timezone.localtime(entry.start).date() for entry in entries]
        year = dt.timedelta(days=366)
        # icalendar adds the zones in the order of a set; they are written in order of name.
        for tzid in sorted(cal.get_missing_tzids(), reverse=True):
            first, last = min(dates) - year, max(dates) + year
            try:
                zone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
            except ValueError:  # as add_missing_timezones() leaves out a zone it does not know
                continue
            cal.subcomponents.insert(0, zone)
    return cal.to_ical()
