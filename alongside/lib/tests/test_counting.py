"""Counts in their own database table: one more is one query, and a count runs out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.lib import antispam, counting

COUNTS = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "counts": {
        "BACKEND": "alongside.lib.counting.CountingDatabaseCache",
        "LOCATION": "alongside_counts",
    },
}


@pytest.fixture
def counts_in_database(db):
    with override_settings(CACHES=COUNTS):
        call_command("createcachetable", verbosity=0)
        yield


@pytest.mark.usefixtures("counts_in_database")
def test_one_more_is_one_query_and_counts_each_key_on_its_own():
    with CaptureQueriesContext(connection) as queries:
        assert counting.add_one("a", 60) == 1
    assert len(queries) == 1
    assert [counting.add_one("a", 60) for _ in range(3)] == [2, 3, 4]
    assert counting.add_one("b", 60) == 1
    assert counting.count("a") == 4
    assert counting.count("never") == 0


@pytest.mark.usefixtures("counts_in_database")
def test_a_count_past_its_time_reads_nothing_and_begins_again(time_machine):
    counting.add_one("a", 60)
    counting.add_one("a", 60)
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=61))
    assert counting.count("a") == 0
    assert counting.add_one("a", 60) == 1
    assert counting.count("a") == 1


@pytest.mark.usefixtures("counts_in_database")
def test_the_daily_job_forgets_counts_past_their_time(time_machine):
    counting.add_one("old", 60)
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=61))
    counting.add_one("new", 60)
    counting.forget_expired()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM alongside_counts")
        assert [key for (key,) in cursor.fetchall()] == [":1:new"]


@pytest.mark.usefixtures("counts_in_database")
def test_clearing_and_deleting():
    counting.add_one("a", 60)
    counting.add_one("b", 60)
    assert caches["counts"].delete("a") is True
    assert counting.count("a") == 0
    caches["counts"].clear()
    assert counting.count("b") == 0


def test_the_daily_job_is_listed(settings):
    assert "alongside.lib.counting.forget_expired" in settings.DAILY_JOBS


@pytest.mark.usefixtures("counts_in_database")
def test_a_form_counted_against_a_limit_is_two_queries():
    # One more in this window, and the window before read: no lock, no cull, no transaction.
    with CaptureQueriesContext(connection) as queries:
        assert antispam._over("booking:ip:192.0.2.1", 2, 3600) is False
    assert len(queries) == 2
    assert antispam._over("booking:ip:192.0.2.1", 2, 3600) is False
    assert antispam._over("booking:ip:192.0.2.1", 2, 3600) is True
