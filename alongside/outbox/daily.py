"""Daily jobs: one task a day runs every job named in settings.DAILY_JOBS, then books tomorrow.

Register a job by adding its dotted path to DAILY_JOBS: a function taking no arguments,
safe to run twice on one day (the runner runs it once a day, but a job that fails halfway
is run again the next day).

There is one chain of daily tasks. `alongside worker` calls ensure_scheduled() when it
starts, which enqueues the first run if none is waiting. Two workers starting at the same
moment could both enqueue one; each run first claims its day with a unique key (a
Claim row, the same once-only claim emails use), so the second run of a day finds the
key taken and stops without booking tomorrow: the chains fold back into one.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.tasks import task, task_backends
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from alongside.outbox.models import Claim

logger = logging.getLogger(__name__)

# Early enough that organisers read the day's news over breakfast, late enough not to be
# an email at three in the morning.
RUN_AT = dt.time(6, 0)


def next_run_at(now: dt.datetime | None = None) -> dt.datetime:
    now = timezone.localtime(now or timezone.now())
    at = timezone.make_aware(dt.datetime.combine(now.date(), RUN_AT))
    if at <= now:
        # Combine with the date, not add 24 hours: the day the clocks change has 23 or 25.
        at = timezone.make_aware(dt.datetime.combine(now.date() + dt.timedelta(days=1), RUN_AT))
    return at


def _claim(day: dt.date) -> bool:
    try:
        with transaction.atomic():
            Claim.objects.create(key=f"daily:{day.isoformat()}")
    except IntegrityError:
        return False
    return True


@task()
def run_daily_jobs() -> list[str]:
    """Run today's jobs once, whichever chain gets here first, and book tomorrow's run."""
    today = timezone.localdate()
    with transaction.atomic():
        if not _claim(today):
            logger.info("Daily jobs for %s ran already; this chain stops.", today)
            return []
        # Booked with the claim, so a crash in a job below cannot end the chain.
        run_daily_jobs.using(run_after=next_run_at()).enqueue()
    ran = []
    for path in settings.DAILY_JOBS:
        try:
            import_string(path)()
        except Exception:
            # One broken job must not stop the others, nor tomorrow's run.
            logger.exception("Daily job %s failed", path)
        else:
            ran.append(path)
    return ran


def is_scheduled() -> bool:
    waiting = DBTaskResult.objects.filter(
        task_path=run_daily_jobs.module_path, status__in=["READY", "RUNNING"]
    )
    return waiting.exists()


def ensure_scheduled() -> bool:
    """Enqueue the next daily run unless one is waiting. True if it enqueued one."""
    if is_scheduled():
        return False
    run_daily_jobs.using(run_after=next_run_at()).enqueue()
    return True


# Finished task rows are kept a fortnight for the admin, failed ones two months for whoever
# looks into them; then they go, so the queue's table does not grow for ever.
TASKS_KEPT_DAYS = 14
FAILED_TASKS_KEPT_DAYS = 60


def prune_finished_tasks() -> None:
    """A daily job: forget finished tasks (the database queue; Redis forgets its own)."""
    if isinstance(task_backends["default"], DatabaseBackend):
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=TASKS_KEPT_DAYS,
            failed_min_age_days=FAILED_TASKS_KEPT_DAYS,
            verbosity=0,
        )
