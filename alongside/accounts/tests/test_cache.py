"""The caches in the database by default, shared by every web worker: the rate limits'
counts in a table of their own (lib/counting.py)."""

from __future__ import annotations

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "alongside_cache",
    },
    "counts": {
        "BACKEND": "alongside.lib.counting.CountingDatabaseCache",
        "LOCATION": "alongside_counts",
    },
}


class DatabaseCacheTestCase(TestCase):
    @override_settings(CACHES=DATABASE_CACHE)
    def test_migrate_makes_its_table_and_counts_are_shared(self):
        call_command("migrate", verbosity=0)  # nothing to apply; makes the cache table
        self.assertIn("alongside_cache", connection.introspection.table_names())
        # Two handles, as two web workers would have: they see the same count.
        first, second = caches.create_connection("default"), caches.create_connection("default")
        first.add("tries", 0)
        first.incr("tries")
        second.incr("tries")
        self.assertEqual(first.get("tries"), 2)

    @override_settings(CACHES=DATABASE_CACHE)
    def test_migrate_makes_the_counts_table_and_counts_are_shared(self):
        call_command("migrate", verbosity=0)
        self.assertIn("alongside_counts", connection.introspection.table_names())
        first, second = caches.create_connection("counts"), caches.create_connection("counts")
        self.assertEqual(first.add_one("tries", 60), 1)
        self.assertEqual(second.add_one("tries", 60), 2)
        self.assertEqual(first.get("tries"), 2)
