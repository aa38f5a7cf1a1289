"""`alongside worker`: django-tasks-db's db_worker, plus a sweep for what killed workers left.

Every worker sweeps once a minute (outbox.delivery.recover): emails left *sending* past their
lease and tasks left RUNNING go back in the queue. Each worker sweeps, so there is no single
sweeper to lose; the sweep's updates are conditional, so two sweeping at once is harmless.
"""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from alongside.outbox import daily, delivery

logger = logging.getLogger("alongside.worker")


def sweep_once() -> None:
    try:
        delivery.recover()
    except Exception:
        logger.exception("Sweep for stopped workers' emails and tasks failed")
    finally:
        connection.close()


def sweep_forever(every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        sweep_once()


def _start_sweeping() -> None:
    sweep_once()
    every = getattr(settings, "OUTBOX_SWEEP_SECONDS", 60)
    threading.Thread(target=sweep_forever, args=(every, threading.Event()), daemon=True).start()


def prepare(*, redis: bool) -> None:
    """What `alongside worker` does before the queue's own worker starts."""
    # The daily jobs book each next run themselves; this starts the first one.
    daily.ensure_scheduled()
    if redis:
        # The Redis worker takes back its own tasks from a killed worker; emails left
        # mid-send are the outbox's, picked up by the same sweep the database worker runs.
        _start_sweeping()


class Command(db_worker.Command):
    help = "Run the background task worker, and pick up what stopped workers left"

    def handle(self, *args, **options):
        reload = options["reload"] and not options["batch"]
        # With --reload the parent only watches files; the child runs tasks and sweeps.
        if not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            _start_sweeping()
        return super().handle(*args, **options)
