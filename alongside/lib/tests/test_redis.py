"""Redis (or Valkey) for the cache and the task queue, against a real server.

Several web servers share one cache, so what one counts another sees: two cache handles
with their own connections stand for two servers. The task queue is django-tasks-redis,
run by its own worker in this process and by `alongside worker` in another.

The tests use Redis database 15 and, in it, only keys under a prefix of their own process
(KEYS), which they delete before and after each test: test workers running side by side
(pytest-xdist), or two test runs at once, never see or delete each other's keys. With no
Redis answering on $TEST_REDIS_URL (redis://127.0.0.1:6379/15) they are skipped, unless
ALONGSIDE_REQUIRE_REDIS=1 (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import redis
import time_machine
from django import forms
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.tasks import TaskResultStatus, task, task_backends
from django.test import RequestFactory, SimpleTestCase, TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_redis import RedisTaskBackend
from django_tasks_redis.management.commands.run_redis_tasks import Command as RedisWorker

from alongside import cli
from alongside.lib import antispam, counting
from alongside.test import BaseTestCase

REDIS_URL = os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# This process's keys: the cache's and the task queue's prefixes both start with it.
KEYS = f"alongside-test-{os.getpid()}"
TASKS_PREFIX = f"{KEYS}:alongside_tasks"
ROOT = Path(__file__).resolve().parents[3]


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


if not _redis_answers():
    reason = f"no Redis server answers at {REDIS_URL}"
    if os.getenv("ALONGSIDE_REQUIRE_REDIS") == "1":
        pytest.fail(f"{reason} (ALONGSIDE_REQUIRE_REDIS=1)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": KEYS,
    },
    "counts": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": KEYS,
    },
}
REDIS_TASKS = {
    "default": {
        "BACKEND": settings.REDIS_TASKS_BACKEND,
        "QUEUES": ["default"],
        "OPTIONS": {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": TASKS_PREFIX},
    }
}


@task()
def add_up(a: int, b: int) -> int:
    return a + b


def run_worker() -> None:
    """Run every task that is due, then stop: the worker `alongside worker` runs, once."""
    call_command(RedisWorker(), no_graceful_shutdown=True, stdout=io.StringIO())


def cache_handle() -> RedisCache:
    """A cache handle with its own connection pool: one web server's view of the cache."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": KEYS})


class UsesRedis:
    """Starts and ends each test with none of this process's keys in Redis database 15."""

    def setUp(self):
        super().setUp()
        self.redis = redis.Redis.from_url(REDIS_URL)
        self.forget_keys()
        self.addCleanup(self.redis.close)
        self.addCleanup(self.forget_keys)

    def forget_keys(self) -> None:
        keys = list(self.redis.scan_iter(match=f"{KEYS}:*", count=1000))
        if keys:
            self.redis.delete(*keys)


class CacheTests(UsesRedis, SimpleTestCase):
    def handles(self) -> tuple[RedisCache, RedisCache]:
        # Two handles with their own connection pools: two web servers sharing one cache.
        return cache_handle(), cache_handle()

    def test_what_one_server_sets_another_reads(self):
        one, two = self.handles()
        one.set("greeting", {"hello": "Dudley"}, timeout=60)
        self.assertEqual(two.get("greeting"), {"hello": "Dudley"})
        two.delete("greeting")
        self.assertIsNone(one.get("greeting"))

    def test_counts_add_up_across_servers(self):
        one, two = self.handles()
        self.assertTrue(one.add("count", 0, timeout=60))
        self.assertFalse(two.add("count", 0, timeout=60))
        self.assertEqual(one.incr("count"), 1)
        self.assertEqual(two.incr("count"), 2)
        self.assertEqual(one.incr("count"), 3)
        self.assertEqual(two.get("count"), 3)


@override_settings(CACHES=REDIS_CACHE, ANTISPAM_RATE_LIMITS=True)
class RateLimitTests(UsesRedis, SimpleTestCase):
    def send(self, handle: RedisCache, email: str) -> bool:
        request = RequestFactory().post("/interest/", REMOTE_ADDR="203.0.113.9")
        form = forms.Form(data={})
        form.is_valid()
        with mock.patch.object(counting, "caches", {counting.ALIAS: handle}):
            return antispam.allow(request, form, action="interest", email=email)

    def test_the_limit_from_one_address_counts_on_every_server(self):
        one, two = cache_handle(), cache_handle()
        limit = antispam.LIMITS["interest"].per_ip
        for n in range(limit):
            # Each person once, alternating servers as a load balancer would.
            self.assertTrue(self.send(one if n % 2 else two, f"person{n}@example.org"))
        self.assertFalse(self.send(one, "one.more@example.org"))
        self.assertFalse(self.send(two, "and.another@example.org"))

    def test_the_limit_for_one_email_counts_on_every_server(self):
        one, two = cache_handle(), cache_handle()
        limit = antispam.LIMITS["interest"].per_email
        for n in range(limit):
            self.assertTrue(self.send(one if n % 2 else two, "Pat@Example.org"))
        self.assertFalse(self.send(two, "pat@example.org"))
        self.assertTrue(self.send(one, "someone.else@example.org"))

    def test_django_uses_redis_when_redis_url_is_set(self):
        # The settings' own switch, as a deployment sets it.
        out = subprocess.run(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-c",
                "from django.conf import settings; import django; "
                "django.setup(); print(settings.CACHES['default']['BACKEND'])",
            ],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "alongside.settings",
                "REDIS_URL": REDIS_URL,
                "CACHE_BACKEND": "",
            },
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        self.assertEqual(out.stdout.strip(), "django.core.cache.backends.redis.RedisCache")


@override_settings(TASKS=REDIS_TASKS)
class TaskQueueTests(UsesRedis, SimpleTestCase):
    def test_a_task_is_queued_in_redis_and_run_by_the_worker(self):
        result = add_up.enqueue(2, 3)
        self.assertIsInstance(task_backends["default"], RedisTaskBackend)
        self.assertEqual(result.status, TaskResultStatus.READY)
        run_worker()
        result.refresh()
        self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(result.return_value, 5)

    def test_a_task_for_later_is_not_run_early(self):
        now = timezone.now()
        tomorrow = add_up.using(run_after=now + dt.timedelta(days=1)).enqueue(1, 1)
        soon = add_up.using(run_after=now + dt.timedelta(minutes=1)).enqueue(2, 2)
        run_worker()
        soon.refresh()
        self.assertEqual(soon.status, TaskResultStatus.READY)

        # The worker goes by the clock of the process it runs in: move that on.
        with time_machine.travel(now + dt.timedelta(minutes=1, seconds=1)):
            run_worker()
        soon.refresh()
        tomorrow.refresh()
        self.assertEqual(soon.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(soon.return_value, 4)
        self.assertEqual(tomorrow.status, TaskResultStatus.READY)
        self.assertIsNone(tomorrow.finished_at)


@override_settings(TASKS=REDIS_TASKS)
class BookingTests(UsesRedis, BaseTestCase):
    def test_a_booking_is_confirmed_through_redis_and_its_reminder_waits(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.book_patient()
        self.assertFalse(DBTaskResult.objects.exists())
        [queued] = task_backends["default"].get_all_tasks(status=TaskResultStatus.READY)[0]
        # The request queues one task; the worker queues the rest.
        self.assertEqual(queued["task_path"].rsplit(".", 1)[-1], "booking_made")

        with self.captureOnCommitCallbacks(execute=True):
            run_worker()
        [confirmation] = self.sent_to("pat@example.org")
        self.assertIn("Your place at", confirmation.subject)
        # What is due later (the reminder, the thank-you, the surgeon check, the organisers'
        # digest that the worker just booked) waits in Redis: nothing that is left was due.
        waiting = task_backends["default"].get_all_tasks(status=TaskResultStatus.READY)[0]
        names = {t["task_path"].rsplit(".", 1)[-1] for t in waiting}
        expected = {"send_reminder", "send_thank_you", "check_surgeon_cover", "send_digest"}
        self.assertLessEqual(expected, names)
        for left in waiting:
            self.assertGreater(dt.datetime.fromisoformat(left["run_after"]), timezone.now())


# Committed, not in a test's transaction: the worker in another process opens the same
# SQLite file, which a test's open write transaction would lock.
@pytest.mark.usefixtures("topics_put_back")
class WorkerCommandTests(UsesRedis, TransactionTestCase):
    @pytest.mark.slow  # `alongside worker` in another process
    def test_alongside_worker_runs_the_redis_worker(self):
        # A deployment's environment: TASKS_BACKEND=redis, and the same `alongside worker`.
        with override_settings(TASKS=REDIS_TASKS):
            result = add_up.enqueue(20, 22)
        env = {
            **os.environ,
            "TASKS_BACKEND": "redis",
            "TASKS_REDIS_URL": REDIS_URL,
            "TEST_REDIS_KEY_PREFIX": TASKS_PREFIX,
            "DJANGO_SETTINGS_MODULE": "alongside.lib.tests.worker_settings",
            "TEST_DB_NAME": str(settings.DATABASES["default"]["NAME"]),
        }
        worker = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "alongside.cli", "worker", "--batch", "--no-reload"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(worker.returncode, 0, worker.stderr[-3000:])
        with override_settings(TASKS=REDIS_TASKS):
            result.refresh()
        self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(result.return_value, 42)

    def test_worker_options_become_the_redis_workers(self):
        self.assertEqual(
            cli.redis_worker_argv(["--no-reload", "--interval", "0.5"]),
            ["run_redis_tasks", "--continuous", "--interval", "0.5"],
        )
        self.assertEqual(
            cli.redis_worker_argv(["--batch", "--queue-name", "default", "--max-tasks", "5"]),
            ["run_redis_tasks", "--queue", "default", "--max-tasks", "5"],
        )
