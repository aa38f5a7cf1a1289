"""Environment for the test run, loaded by pytest (`-p alongside.testenv`) before Django starts."""

import os

import pytest

# Links in emails point here, so tests can follow them with the test client.
os.environ.setdefault("SITE_ROOT", "http://testserver")

# Checks that real use needs but that would trip tests written before them, or make every
# test pass a second factor: each is off here, and its own tests turn it on.
os.environ.setdefault("ANTISPAM_MIN_SECONDS", "0")
os.environ.setdefault("ANTISPAM_RATE_LIMITS", "0")
os.environ.setdefault("STAFF_SECOND_FACTOR_REQUIRED", "0")
os.environ.setdefault("SESSION_IDLE_TIMEOUT", "0")
os.environ.setdefault("SESSION_ABSOLUTE_TIMEOUT", "0")
os.environ.setdefault("STAFF_SESSION_IDLE_TIMEOUT", "0")
os.environ.setdefault("STAFF_SESSION_ABSOLUTE_TIMEOUT", "0")
# Memory, not the database cache: emptied before each test by the fixture below, and never
# left behind by a test that commits (see accounts/tests/test_cache.py for the database one).
os.environ.setdefault("CACHE_BACKEND", "locmem")
# The email provider's bounce webhooks answer only when a secret is set (alongside/urls.py).
os.environ.setdefault("ANYMAIL_WEBHOOK_SECRET", "tests:bounce-secret")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits (allauth's and the public forms') count in the local-memory cache, which
    # lives as long as the test process: each test starts with nothing counted, and with no
    # page or count kept from another test (their change logs can have the same stamps).
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from alongside.surgeries import changelog

    changelog.forget()  # and what is kept in this process by the log's stamps

    for cache in caches.all():
        # Clearing a Redis cache empties its whole database, other test workers' keys too:
        # the Redis tests delete only their own keys (alongside/lib/tests/test_redis.py).
        if not isinstance(cache, RedisCache):
            cache.clear()
    yield
