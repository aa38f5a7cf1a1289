"""Lines written from a row alone are written once, and again only for a row that changed."""

from __future__ import annotations

from django.test import SimpleTestCase

from alongside.lib.written import Written


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
