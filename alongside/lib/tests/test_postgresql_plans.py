"""On PostgreSQL, a query sent again and again on one kept connection is planned once: psycopg
prepares it on the fifth time (settings.py), unless DATABASE_PREPARED_STATEMENTS=0."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import TestCase

from alongside.surgeries.models import Session


class PlansTestCase(TestCase):
    def test_a_query_sent_five_times_is_prepared_and_its_plan_kept(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's plans")

        def prepared() -> list[str]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT statement FROM pg_prepared_statements")
                return [row[0] for row in cursor.fetchall()]

        def read(pk: int) -> None:
            list(Session.objects.select_related("surgery", "venue").filter(pk=pk))

        read(1)
        self.assertFalse(any('FROM "surgeries_session"' in s for s in prepared()))
        for pk in range(2, 7):  # the same query with other values
            read(pk)
        self.assertTrue(any('FROM "surgeries_session"' in s for s in prepared()))


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
    on = "[('prepare_threshold', 5), ('server_side_binding', True)]"
    assert _options(DATABASE_URL=url) == on
    assert _options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0") == "[]"
