"""Signed-in sessions are read from a cache of their own, and written to the database too
(Django's cached_db): one plain query a request instead of one through the ORM."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session as SignedInSession
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from alongside.test import BaseTestCase


class SessionCacheTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.organiser)
        self.cookie = self.client.cookies[settings.SESSION_COOKIE_NAME].value

    def same_browser(self) -> Client:
        """Another client with the same cookie: a copy of it, or another web worker."""
        other = Client()
        other.cookies[settings.SESSION_COOKIE_NAME] = self.cookie
        return other

    def test_a_signed_in_page_reads_no_session_row(self):
        self.client.get("/organise/")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get("/organise/").status_code, 200)
        self.assertFalse([q for q in queries if "django_session" in q["sql"]])

    def test_signing_out_ends_the_session_everywhere(self):
        other = self.same_browser()
        self.assertEqual(other.get("/organise/").status_code, 200)
        self.client.post("/accounts/logout/")
        self.assertFalse(SignedInSession.objects.filter(session_key=self.cookie).exists())
        self.assertNotEqual(other.get("/organise/").status_code, 200)

    def test_a_session_pushed_out_of_the_cache_is_read_from_the_database(self):
        caches[settings.SESSION_CACHE_ALIAS].clear()
        self.assertEqual(self.same_browser().get("/organise/").status_code, 200)
        # …and kept again for the next request.
        with CaptureQueriesContext(connection) as queries:
            self.same_browser().get("/organise/")
        self.assertFalse([q for q in queries if "django_session" in q["sql"]])


DATABASE_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "alongside_cache",
    },
    "sessions": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "alongside_sessions",
    },
}


class DatabaseSessionCacheTestCase(TestCase):
    def test_migrate_makes_the_table_and_every_worker_shares_it(self):
        self.assertEqual(settings.SESSION_ENGINE, "django.contrib.sessions.backends.cached_db")
        with override_settings(CACHES=DATABASE_CACHES):
            call_command("migrate", verbosity=0)  # nothing to apply; makes the cache tables
            self.assertIn("alongside_sessions", connection.introspection.table_names())
            first = caches.create_connection("sessions")
            second = caches.create_connection("sessions")
            first.set("signed-in", {"user": 1})
            self.assertEqual(second.get("signed-in"), {"user": 1})
            second.delete("signed-in")
            self.assertIsNone(first.get("signed-in"))
