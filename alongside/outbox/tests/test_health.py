"""GET /health/ for monitoring, and logs an operator can read."""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from alongside.bookings.tasks import send_booking_email
from alongside.lib.logs import DropQueryString
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
            },
        )
        self.assertNotIn("Content-Security-Policy", r)
        self.assertIn("no-cache", r["Cache-Control"])
        self.assertNotIn("Set-Cookie", r)

    def test_it_costs_three_queries_however_long_the_queue(self):
        self.client.get("/health/")
        with self.assertNumQueries(3):
            self.client.get("/health/")
        booking = self.book_patient()
        for _ in range(20):
            send_booking_email.enqueue(booking.pk, "booking-confirmed")
        with self.assertNumQueries(3):
            r = self.client.get("/health/")
        self.assertNotContains(r, "pat@example.org")

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
        self.assertEqual(len(logs.output), 2)
        for line in logs.output:
            self.assertIn(f"id={result.id}", line)
            self.assertIn("path=alongside.bookings.tasks.send_booking_email", line)
            self.assertNotIn("@", line)
        self.assertIn("state=SUCCESSFUL", logs.output[1])

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
