"""A burst at a rate limit lets exactly the limit through, with the counts in the database.

Django's database cache adds one by reading the count and writing it back: without a lock,
a burst of forty let twenty-one or twenty-two through a limit of twenty. The counts' own
table adds one in a single upsert (lib/counting.py).
"""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from alongside.lib import antispam

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
BURST, LIMIT = 40, 20


@pytest.mark.slow  # forty threads, committed transactions
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("topics_put_back")
@override_settings(CACHES=DATABASE_CACHE)
def test_a_burst_on_the_database_cache_lets_exactly_the_limit_through():
    call_command("createcachetable", verbosity=0)
    start = threading.Barrier(BURST)
    over: list[bool] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            start.wait()
            over.append(antispam._over("booking:ip:192.0.2.1", LIMIT, 3600))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(BURST)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert over.count(False) == LIMIT
    assert over.count(True) == BURST - LIMIT
