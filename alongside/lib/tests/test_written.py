"""Lines written from a row alone are written once, and again only for a row that changed."""

from __future__ import annotations

from django.db import connection
from django.test import SimpleTestCase
from django.utils import timezone

from alongside.lib.written import Stored, Written, as_stored, turning
from alongside.surgeries.models import Session
from alongside.test import BaseTestCase


class WrittenTestCase(SimpleTestCase):
    def setUp(self):
        self.calls: list[tuple] = []

    def write(self, row: tuple) -> str:
        self.calls.append(row)
        return "-".join(map(str, row))

    def test_each_row_is_written_once_in_the_order_listed(self):
        written = Written(most=10)
        rows = [(1, "a"), (2, "b"), (1, "a")]
        self.assertEqual(written.each(rows, under="en", write=self.write), ["1-a", "2-b", "1-a"])
        self.assertEqual(written.each(rows[::-1], under="en", write=self.write)[0], "1-a")
        self.assertEqual(self.calls, [(1, "a"), (2, "b")])

    def test_a_changed_row_is_written_afresh(self):
        written = Written(most=10)
        written.each([(1, "a")], under="en", write=self.write)
        self.assertEqual(written.each([(1, "b")], under="en", write=self.write), ["1-b"])
        self.assertEqual(self.calls, [(1, "a"), (1, "b")])

    def test_what_is_kept_under_one_is_not_used_under_another(self):
        written = Written(most=10)
        written.each([(1, "a")], under="en", write=self.write)
        written.each([(1, "a")], under="cy", write=lambda row: "Cymraeg")
        self.assertEqual(written.each([(1, "a")], under="cy", write=self.write), ["Cymraeg"])
        self.assertEqual(written.each([(1, "a")], under="en", write=self.write), ["1-a"])

    def test_it_keeps_at_most_so_many_then_starts_again(self):
        written = Written(most=2)
        rows = [(n,) for n in range(5)]
        self.assertEqual(written.each(rows, under="en", write=self.write), list("01234"))
        self.assertLessEqual(max(len(kept) for kept in written._kept.values()), 2)
        for n in range(9):  # under more than it keeps for
            written.each([(0,)], under=n, write=self.write)
        self.assertLessEqual(len(written._kept), 8)


class EachReadTestCase(SimpleTestCase):
    """Rows that only name what is written: what is not kept is read in one go."""

    def setUp(self):
        self.asked: list[list] = []
        self.there = {1: "one", 2: "two", 3: "three"}

    def read(self, rows: list) -> dict:
        self.asked.append(rows)
        return {row: self.there[row[0]] for row in rows if row[0] in self.there}

    def each(self, written: Written, rows: list) -> list:
        return written.each_read(rows, under="en", read=self.read, write=str.upper)

    def test_only_what_is_not_kept_is_read_and_in_one_go(self):
        written = Written(most=10)
        self.assertEqual(self.each(written, [(1, "a"), (2, "a")]), ["ONE", "TWO"])
        three = [(1, "a"), (2, "b"), (3, "a")]
        self.assertEqual(self.each(written, three), ["ONE", "TWO", "THREE"])
        self.assertEqual(self.asked, [[(1, "a"), (2, "a")], [(2, "b"), (3, "a")]])
        self.assertEqual(self.each(written, [(3, "a"), (1, "a")]), ["THREE", "ONE"])
        self.assertEqual(len(self.asked), 2)

    def test_a_row_not_found_is_left_out(self):
        written = Written(most=10)
        self.assertEqual(self.each(written, [(1, "a"), (9, "a"), (2, "a")]), ["ONE", "TWO"])

    def test_when_more_than_it_keeps_it_starts_again_before_writing(self):
        written = Written(most=3)
        self.each(written, [(1, "a"), (2, "a")])
        # Two more would make four: every row is read again, none left out.
        three = [(1, "a"), (2, "b"), (3, "a")]
        self.assertEqual(self.each(written, three), ["ONE", "TWO", "THREE"])
        self.assertEqual(self.asked[-1], three)
        self.assertLessEqual(len(written._kept["en"]), 3)


class StoredRowsTestCase(BaseTestCase):
    """Rows read as stored are keys; turned, they are the rows Django reads."""

    COLUMNS = ("pk", "surgery__name")
    STORED = ("date", "start_time", "created_at", "cancelled_at")

    def setUp(self):
        super().setUp()
        self.make_session(days=3, cancelled_at=timezone.now(), notes="Bring tea.")

    def rows(self):
        sessions = Session.objects.order_by("pk")
        return sessions.values_list(*self.COLUMNS, *self.STORED)

    def stored(self):
        sessions = Session.objects.order_by("pk")
        return as_stored(sessions.values_list(*self.COLUMNS, *map(Stored, self.STORED)))

    def test_turned_they_are_the_rows_django_reads(self):
        expected = list(self.rows())
        turn = turning(self.stored())
        with self.assertNumQueries(1):
            stored = list(self.stored())
        self.assertEqual([turn(row) for row in stored], expected)
        self.assertIsNotNone(expected[-1][-1])  # the cancelled one: an aware moment
        self.assertTrue(timezone.is_aware(expected[-1][-1]))

    def test_on_sqlite_the_dates_and_times_come_as_text(self):
        [row, *_] = self.stored()
        turned = turning(self.stored())(row)
        if connection.vendor == "sqlite":
            self.assertEqual(row[2:4], (turned[2].isoformat(), turned[3].isoformat()))
        else:
            self.assertEqual(row, turned)

    def test_a_stored_row_is_a_key_for_written(self):
        written: Written[tuple, str] = Written(most=10)
        calls = []
        for _ in range(2):
            written.each(self.stored(), under="en", write=lambda row: calls.append(row) or "")
        self.assertEqual(len(calls), Session.objects.count())
