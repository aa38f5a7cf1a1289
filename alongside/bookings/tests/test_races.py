"""Cancellations, promotions and new bookings racing each other; two workers racing to send.

Runs against whichever database the suite uses: CI runs it on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

from alongside.accounts.models import AuditEntry
from alongside.bookings import services
from alongside.bookings.models import Booking
from alongside.bookings.tasks import send_booking_email
from alongside.test import BaseTestCase

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("topics_put_back")]


def in_threads(*jobs) -> list[BaseException]:
    """Start every job at once, each in its own thread with its own connection."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        try:
            start.wait()
            job()
        except BaseException as e:  # noqa: BLE001 - reported by the caller
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_cancellations_and_new_bookings_never_overfill_or_promote_twice():
    base = BaseTestCase()
    BaseTestCase.setUpTestData()
    session = BaseTestCase.session
    session.help_places = 5
    session.save()
    booked = [base.book(session, name=f"Booked {n}") for n in range(5)]
    waiting = [base.book(session, name=f"Waiting {n}") for n in range(5)]
    assert {b.status for b in waiting} == {"waiting"}

    jobs = [lambda b=b: services.booking_cancel(booking=b) for b in booked]
    jobs += [lambda n=n: base.book(session, name=f"New {n}") for n in range(10)]
    # The same cancellation twice more, as from a double click.
    jobs += [lambda: services.booking_cancel(booking=booked[0])] * 2
    assert in_threads(*jobs) == []

    statuses = Counter(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses["booked"] == 5
    assert statuses["cancelled"] == 5
    assert statuses["waiting"] == 10
    promotions = Counter(
        AuditEntry.objects.filter(action="booking.promote").values_list("object_id", flat=True)
    )
    assert promotions and max(promotions.values()) == 1
    # Those waiting longest moved up first.
    assert {b.pk for b in waiting} <= set(promotions)


def test_two_workers_send_a_message_once():
    base = BaseTestCase()
    BaseTestCase.setUpTestData()
    booking = base.book(BaseTestCase.session, name="Pat")
    # The same message queued three times, then two workers start at once.
    for _ in range(3):
        send_booking_email.enqueue(booking.pk, "booking-confirmed")

    def worker(n):
        return Worker(
            queue_names=["*"],
            interval=0.01,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"worker-{n}",
            excluded_queue_names=[],
        ).run

    mail.outbox = []
    assert in_threads(worker(1), worker(2)) == []
    confirmations = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert len(confirmations) == 1
