"""The daily job runner: one chain of daily runs, each day's jobs run once."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from alongside.outbox import daily
from alongside.test import BaseTestCase, run_due_tasks

LONDON = ZoneInfo("Europe/London")
CALLS: list[str] = []


def job_a() -> None:
    CALLS.append("a")


def job_broken() -> None:
    raise RuntimeError("a broken job")


JOBS = [f"{__name__}.job_broken", f"{__name__}.job_a"]


def waiting() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=daily.run_daily_jobs.module_path, status="READY")
    )


@override_settings(DAILY_JOBS=JOBS)
class DailyJobsTestCase(BaseTestCase):
    def setUp(self):
        CALLS.clear()
        DBTaskResult.objects.all().delete()

    def test_starting_twice_gives_one_waiting_run_at_six_in_the_morning(self):
        with time_machine.travel(dt.datetime(2027, 3, 27, 22, tzinfo=LONDON), tick=False):
            self.assertTrue(daily.ensure_scheduled())
            self.assertFalse(daily.ensure_scheduled())
        [run] = waiting()
        # The clocks go forward that night: 6 am BST is 5 am UTC.
        self.assertEqual(run.run_after, dt.datetime(2027, 3, 28, 6, tzinfo=LONDON))

    def test_each_run_books_tomorrow_and_a_broken_job_stops_nothing(self):
        with time_machine.travel(dt.datetime(2027, 3, 1, 5, tzinfo=LONDON), tick=False):
            daily.ensure_scheduled()
        with (
            time_machine.travel(dt.datetime(2027, 3, 1, 6, 1, tzinfo=LONDON), tick=False),
            mock.patch.object(daily.logger, "exception") as logged,
        ):
            run_due_tasks()
        self.assertEqual(CALLS, ["a"])
        logged.assert_called_once()
        [run] = waiting()
        self.assertEqual(run.run_after, dt.datetime(2027, 3, 2, 6, tzinfo=LONDON))

    def test_two_chains_fold_into_one_and_jobs_run_once_a_day(self):
        at = dt.datetime(2027, 3, 1, 5, tzinfo=LONDON)
        # Two workers starting at the same moment, both finding nothing waiting.
        with (
            time_machine.travel(at, tick=False),
            mock.patch.object(daily, "is_scheduled", return_value=False),
        ):
            daily.ensure_scheduled()
            daily.ensure_scheduled()
        self.assertEqual(len(waiting()), 2)
        with (
            time_machine.travel(at + dt.timedelta(hours=1, minutes=1), tick=False),
            mock.patch.object(daily.logger, "exception"),
        ):
            run_due_tasks()
        self.assertEqual(CALLS, ["a"])
        self.assertEqual(len(waiting()), 1)
        with (
            time_machine.travel(at + dt.timedelta(days=1, hours=1, minutes=1), tick=False),
            mock.patch.object(daily.logger, "exception"),
        ):
            run_due_tasks()
        self.assertEqual(CALLS, ["a", "a"])
        self.assertEqual(len(waiting()), 1)


class RegisteredJobsTestCase(BaseTestCase):
    def test_the_surgery_jobs_are_registered_and_importable(self):
        from django.conf import settings
        from django.utils.module_loading import import_string

        self.assertIn("alongside.surgeries.dormancy.ask_dormant_surgeries", settings.DAILY_JOBS)
        self.assertIn("alongside.surgeries.repeats.top_up_all_series", settings.DAILY_JOBS)
        for path in settings.DAILY_JOBS:
            self.assertTrue(callable(import_string(path)))
