"""SQLite's times are read as Django reads them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.utils.dateparse import parse_time

from alongside.lib import sqlite


class TimeConverterTestCase(SimpleTestCase):
    def test_each_time_is_the_one_django_reads(self):
        for text in [
            "10:00:00",
            "09:30",
            "23:59:59.999999",
            "00:00:00.5",
            "10:00:00+01:00",  # an offset, left out as Django leaves it
            "10:00:00Z",
            "1000",
            "10:00:00,25",
            "25:00:00",
            "not a time",
            "",
        ]:
            with self.subTest(text=text):
                try:
                    expected: dt.time | None | type[ValueError] = parse_time(text)
                except ValueError:
                    expected = ValueError
                if expected is ValueError:
                    with self.assertRaises(ValueError):
                        sqlite._time(text.encode())
                else:
                    found = sqlite._time(text.encode())
                    self.assertEqual(found, expected)
                    self.assertIsNone(getattr(found, "tzinfo", None))


@skipUnless(connection.vendor == "sqlite", "SQLite's converters")
class RegisteredTestCase(TestCase):
    def test_a_time_column_is_read_by_it(self):
        self.assertIs(sqlite3.converters["TIME"], sqlite._time)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE clock (at time)")
            cursor.execute("INSERT INTO clock VALUES ('18:45:00')")
            cursor.execute("SELECT at FROM clock")
            self.assertEqual(cursor.fetchone(), (dt.time(18, 45),))
