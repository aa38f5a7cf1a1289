"""On PostgreSQL, the hottest queries (lib/prepared.py) are prepared on the server and their
plans kept, and no other query is (settings.py), unless DATABASE_PREPARED_STATEMENTS=0."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import TestCase

from alongside.lib.prepared import Prepared
from alongside.surgeries.models import Session

_read = Prepared(
    lambda session_id: Session.objects.select_related("surgery", "venue").filter(pk=session_id)
)


class PlansTestCase(TestCase):
    def prepared(self) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    def test_a_prepared_query_is_planned_once_and_no_other_query_is(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's plans")
        with connection.cursor() as cursor:  # what earlier tests on this connection prepared
            cursor.execute("DEALLOCATE ALL")
        for pk in range(1, 8):  # the same query with other values, as Django sends it
            list(Session.objects.select_related("surgery").filter(pk=pk))
        self.assertEqual(self.prepared(), [])
        _read.list(session_id=1)
        statements = self.prepared()
        self.assertEqual(len(statements), 1)
        self.assertIn('FROM "surgeries_session"', statements[0])
        for pk in range(2, 5):
            _read.list(session_id=pk)
        self.assertEqual(self.prepared(), statements)  # the same statement, run by name
        self.assertIsNone(connection.connection.prepare_threshold)


def _options(**env: str) -> str:
    """The database's OPTIONS as settings.py makes them, in a fresh process."""
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(sorted(settings.DATABASES['default']"
            ".get('OPTIONS', {}).items()))",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "alongside.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


@pytest.mark.slow  # starts Python in other processes
def test_prepared_statements_are_on_for_postgresql_and_can_be_turned_off():
    url = "postgres://someone@db.example:5432/alongside"
    on = "[('server_side_binding', True)]"
    assert _options(DATABASE_URL=url) == on
    assert _options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0") == "[]"
