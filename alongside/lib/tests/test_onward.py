"""Pages read onward, without a count: the number asked for, and where a page can go."""

from __future__ import annotations

from django.test import SimpleTestCase

from alongside.lib.onward import MOST_PAGES, OnwardPage, page_number


class OnwardTestCase(SimpleTestCase):
    def test_a_page_number_is_a_whole_number_from_one_else_the_first_page(self):
        for value, number in [("1", 1), ("7", 7), (str(MOST_PAGES), MOST_PAGES)]:
            self.assertEqual(page_number(value), number)
        for value in (None, "", "0", "-2", " 3", "3.0", "²", "٣", str(MOST_PAGES + 1)):
            with self.subTest(value=value):
                self.assertEqual(page_number(value), 1)

    def test_a_page_goes_back_unless_it_is_the_first_and_on_if_there_is_more(self):
        first, middle, last = (
            OnwardPage(number=1, has_next=True),
            OnwardPage(number=2, has_next=True),
            OnwardPage(number=3, has_next=False),
        )
        self.assertEqual([p.has_previous for p in (first, middle, last)], [False, True, True])
        self.assertEqual((middle.previous_page_number, middle.next_page_number), (1, 3))
        self.assertFalse(OnwardPage(number=1, has_next=False).has_other_pages)
        self.assertTrue(last.has_other_pages)
        self.assertIsNone(first.paginator)
