"""GET /health/ for monitoring, and logs an operator can read."""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import time_machine
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alongside.bookings.tasks import send_booking_email
from alongside.lib.logs import DropQueryString
from alongside.outbox import daily
from alongside.test import BaseTestCase, run_due_tasks


class HealthTests(BaseTestCase):
    def test_it_says_all_is_well(self):
        r = self.client.get("/health/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/json")
        self.assertEqual(
            r.json(),
            {
                "status": "ok",
                "database": "ok",
                "migrations": "ok",
                "queue": "ok",
                "oldest_ready_task_seconds": None,
                "failed_emails": 0,
                "failed_tasks": 0,
                "cache": "ok",
                "files": "ok",
            },
        )
        self.assertNotIn("Content-Security-Policy", r)
        self.assertIn("no-cache", r["Cache-Control"])
        self.assertNotIn("Set-Cookie", r)

    def test_it_costs_four_queries_however_long_the_queue(self):
        self.client.get("/health/")
        with self.assertNumQueries(4):
            self.client.get("/health/")
        booking = self.book_patient()
        for _ in range(20):
            send_booking_email.enqueue(booking.pk, "booking-confirmed")
        with self.assertNumQueries(4):
            r = self.client.get("/health/")
        self.assertNotContains(r, "pat@example.org")

    def test_it_fails_when_the_cache_does_not_answer(self):
        with mock.patch.object(cache, "set", side_effect=ConnectionError("refused")):
            r = self.client.get("/health/")
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r.json()["cache"], "unreachable")

    def test_it_fails_when_the_templates_are_missing(self):
        with self.settings(TEMPLATES=[{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]):
            r = self.client.get("/health/")
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r.json()["files"], "missing")

    def test_it_fails_when_the_static_files_are_missing(self):
        with mock.patch.object(finders, "find", return_value=None):
            r = self.client.get("/health/")
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r.json()["files"], "missing")

    def test_it_counts_failed_tasks_without_failing(self):
        DBTaskResult.objects.create(
            task_path="alongside.bookings.tasks.booking_made",
            status="FAILED",
            args_kwargs={"args": [], "kwargs": {}},
            priority=0,
            queue_name="default",
            backend_name="default",
        )
        r = self.client.get("/health/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["failed_tasks"], 1)

    def test_it_fails_when_the_queue_is_stuck(self):
        booking = self.book_patient()
        send_booking_email.enqueue(booking.pk, "booking-confirmed")
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=14)):
            r = self.client.get("/health/")
        self.assertEqual(r.status_code, 200)
        self.assertGreater(r.json()["oldest_ready_task_seconds"], 14 * 60 - 1)
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
            r = self.client.get("/health/")
            self.assertEqual(r.status_code, 503)
            self.assertEqual(r.json()["queue"], "stuck")
            run_due_tasks()
            self.assertEqual(self.client.get("/health/").status_code, 200)

    def test_a_task_for_later_is_not_waiting(self):
        booking = self.book_patient()
        later = timezone.now() + dt.timedelta(days=2)
        send_booking_email.using(run_after=later).enqueue(booking.pk, "booking-confirmed")
        with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
            self.assertEqual(self.client.get("/health/").status_code, 200)

    def test_it_fails_when_the_database_is_unreachable(self):
        self.client.get("/health/")
        with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
            r = self.client.get("/health/")
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r.json(), {"database": "unreachable"})

    def test_it_is_never_rate_limited(self):
        for _ in range(60):
            self.assertEqual(self.client.get("/health/").status_code, 200)

    def test_it_is_for_get_only(self):
        self.assertEqual(self.client.post("/health/").status_code, 405)


class LogTests(BaseTestCase):
    def test_the_worker_logs_each_task_by_name_and_id_without_addresses(self):
        booking = self.book_patient()
        result = send_booking_email.enqueue(booking.pk, "booking-confirmed")
        with self.assertLogs("django.tasks", "INFO") as logs:
            run_due_tasks()
        # Once, as it ends: the line as it starts only doubled the worker's output.
        self.assertEqual(len(logs.output), 1)
        line = logs.output[0]
        self.assertIn(f"id={result.id}", line)
        self.assertIn("path=alongside.bookings.tasks.send_booking_email", line)
        self.assertNotIn("@", line)
        self.assertIn("state=SUCCESSFUL", line)

    def test_request_lines_lose_their_query_strings(self):
        record = logging.LogRecord(
            "django.server",
            logging.INFO,
            "",
            0,
            '"%s" %s %s',
            ("GET /unsubscribe/?token=abc&email=pat@example.org HTTP/1.1", "200", "12"),
            None,
        )
        DropQueryString().filter(record)
        self.assertEqual(record.getMessage(), '"GET /unsubscribe/ HTTP/1.1" 200 12')

    def test_lines_carry_time_level_logger_and_message(self):
        from django.conf import settings

        fmt = settings.LOGGING["formatters"]["line"]
        formatter = logging.Formatter(fmt["format"], style=fmt["style"])
        record = logging.LogRecord(
            "alongside.outbox.delivery", logging.ERROR, "", 0, "Gave up", (), None
        )
        line = formatter.format(record)
        self.assertRegex(
            line, r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ERROR alongside.outbox.delivery Gave up$"
        )


class PruneTests(BaseTestCase):
    def finished(self, status: str, days_ago: int) -> DBTaskResult:
        at = timezone.now() - dt.timedelta(days=days_ago)
        return DBTaskResult.objects.create(
            task_path="alongside.bookings.tasks.booking_made",
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            priority=0,
            queue_name="default",
            backend_name="default",
            enqueued_at=at,
            started_at=at,
            finished_at=at,
        )

    def test_the_daily_job_forgets_old_finished_tasks_and_keeps_failures_longer(self):
        old = self.finished("SUCCESSFUL", days_ago=20)
        recent = self.finished("SUCCESSFUL", days_ago=2)
        failed = self.finished("FAILED", days_ago=20)
        long_failed = self.finished("FAILED", days_ago=70)
        daily.prune_finished_tasks()
        left = set(DBTaskResult.objects.values_list("pk", flat=True))
        self.assertEqual(left, {recent.pk, failed.pk})
        self.assertNotIn(old.pk, left)
        self.assertNotIn(long_failed.pk, left)
