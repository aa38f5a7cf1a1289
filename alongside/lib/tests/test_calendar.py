"""Calendar files are written byte for byte as icalendar writes them, only faster."""

from __future__ import annotations

import datetime as dt
import random

from django.test import SimpleTestCase
from icalendar import Calendar
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

    def test_a_calendar_is_written_as_icalendar_writes_it(self):
        start = dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)
        entries = [
            ical.Entry(
                uid=f"session-{n}@example.org",
                created=start - dt.timedelta(days=30),
                start=start + dt.timedelta(days=n),
                end=start + dt.timedelta(days=n, hours=2),
                summary=summary,
                location="Stourbridge Library, Crown Centre, Stourbridge DY8 1YE",
                description=description * 5,
                url=f"https://surgeries.example.org/sessions/{n}/",
                cancelled=n % 3 == 0,
                sequence=n,
                geo=(52.456, -2.147) if n % 2 else None,
            )
            for n, (summary, description) in enumerate(
                [
                    ("Stourbridge Social Media Surgery", "Free help with Facebook, websites. "),
                    ("Cymorth gyda'r we: Caerdydd", "Help am ddim gyda ŵyr a ŷd; café “quotes”. "),
                    ("Short", "Back\\slash, semi;colon and a caret ^ here. "),
                ]
            )
        ]
        cal = Calendar()
        cal.add("prodid", "-//Test//EN")
        for entry in entries:
            cal.add_component(ical._event(entry, start))
        self.assertEqual(ical._to_ical(cal), cal.to_ical())
