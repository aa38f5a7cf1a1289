"""Each surgery's place in the change log, kept in each process and moved on as it grows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.surgeries import changelog
from alongside.surgeries.models import Change
from alongside.test import BaseTestCase


class MarksTestCase(BaseTestCase):
    def read_afresh(self) -> changelog.Marks:
        changelog.forget()
        return changelog.marks()

    def test_nothing_changed_is_one_query(self):
        changelog.marks()
        with self.assertNumQueries(1):
            changelog.marks()

    def test_changes_move_the_places_on_from_the_rows_added(self):
        before = changelog.marks()
        self.make_session(days=3)
        changelog.changed(surgery_id=self.other_surgery.pk)
        with CaptureQueriesContext(connection) as queries:
            marks = changelog.marks()
        self.assertIn("WHERE id >", queries[-1]["sql"])
        moved = {self.surgery.pk, self.other_surgery.pk}
        self.assertEqual(marks.moved_since(before, most=10), moved)
        self.assertEqual(marks, self.read_afresh())

    def test_rows_removed_are_read_again_in_full(self):
        changelog.marks()
        changelog.changed(surgery_id=self.surgery.pk)
        # The daily job keeps only each surgery's last row; one is added meanwhile.
        Change.objects.filter(surgery_id=self.other_surgery.pk).order_by("pk").first().delete()
        changelog.changed(surgery_id=self.other_surgery.pk)
        with CaptureQueriesContext(connection) as queries:
            marks = changelog.marks()
        self.assertNotIn("WHERE id >", queries[-1]["sql"])
        self.assertEqual(marks, self.read_afresh())

    def test_a_change_for_every_surgery_moves_everything(self):
        before = changelog.marks()
        changelog.changed()
        self.assertIsNone(changelog.marks().moved_since(before, most=10))
        self.assertIsNone(changelog.marks().moved_since(None, most=10))
        self.assertEqual(changelog.marks().moved_since(changelog.marks(), most=10), set())
