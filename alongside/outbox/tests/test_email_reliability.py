"""Email is never lost nor sent twice: failed sends are retried, killed workers recovered."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alongside.bookings.tasks import send_booking_email
from alongside.outbox import delivery
from alongside.outbox.models import Message
from alongside.outbox.testing import FlakyBackend
from alongside.test import BaseTestCase, run_due_tasks

FLAKY = {"default": {"BACKEND": "alongside.outbox.testing.FlakyBackend"}}
ROOT = Path(__file__).resolve().parents[3]


@override_settings(MAILERS=FLAKY)
class RetryTests(BaseTestCase):
    def setUp(self):
        self.booking = self.book_patient()
        mail.outbox = []
        self.addCleanup(setattr, FlakyBackend, "failures", 0)

    def confirm(self):
        send_booking_email.enqueue(self.booking.pk, "booking-confirmed")
        run_due_tasks()

    def test_a_failed_send_is_retried_with_backoff_then_sent_once(self):
        FlakyBackend.failures = 2
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            self.confirm()
            message = Message.objects.get()
            self.assertEqual(message.state, Message.State.QUEUED)
            self.assertEqual(message.next_attempt_at, start + dt.timedelta(minutes=1))
            self.assertIn("ConnectionRefusedError", message.last_error)

            clock.shift(dt.timedelta(seconds=59))
            run_due_tasks()
            self.assertEqual(mail.outbox, [])

            clock.shift(dt.timedelta(seconds=1))
            run_due_tasks()
            message.refresh_from_db()
            self.assertEqual(message.attempts, 2)
            self.assertEqual(message.next_attempt_at, timezone.now() + dt.timedelta(minutes=5))

            clock.shift(dt.timedelta(minutes=5))
            run_due_tasks()
            clock.shift(dt.timedelta(days=3))
            run_due_tasks()

        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["pat@example.org"])
        self.assertEqual(mail.outbox[0].extra_headers["Message-ID"], message.message_id)
        message.refresh_from_db()
        self.assertEqual(message.state, Message.State.SENT)
        self.assertEqual(message.attempts, 3)
        # Once sent, the outbox forgets the address and the words.
        self.assertEqual((message.to, message.body_text, message.body_html), ("", "", ""))

    def test_it_gives_up_loudly_after_a_day_and_a_half(self):
        FlakyBackend.failures = 100
        with time_machine.travel(timezone.now(), tick=False) as clock:
            self.confirm()
            with self.assertLogs("alongside.outbox.delivery", "ERROR") as logs:
                for delay in delivery.RETRY_DELAYS:
                    clock.shift(delay)
                    run_due_tasks()
        message = Message.objects.get()
        self.assertEqual(message.state, Message.State.FAILED)
        self.assertEqual(message.attempts, len(delivery.RETRY_DELAYS) + 1)
        self.assertEqual(mail.outbox, [])
        self.assertIn("Gave up sending email", logs.output[0])
        self.assertNotIn("pat@example.org", "".join(logs.output))
        # Counted for monitoring; an admin can see it and send it again.
        self.assertEqual(self.client.get("/health/").json()["failed_emails"], 1)
        self.admin.is_superuser = True
        self.admin.save(update_fields=["is_superuser"])
        self.client.force_login(self.admin)
        r = self.client.get("/admin/outbox/message/?state=failed")
        self.assertContains(r, "booking-confirmed")

    def test_a_second_task_for_the_same_message_sends_nothing(self):
        self.confirm()
        self.confirm()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Message.objects.count(), 1)


class RecoverTests(BaseTestCase):
    def test_a_message_left_sending_past_its_lease_is_sent_again(self):
        booking = self.book_patient()
        # As a worker killed mid-send leaves it.
        message = Message.objects.create(
            key=f"booking-confirmed:{booking.pk}:",
            message_id="<left@alongside.example>",
            to=booking.email,
            subject="Your place",
            body_text="See you there",
            state=Message.State.SENDING,
            attempts=1,
            lease_until=timezone.now() + delivery.lease(),
        )
        self.assertEqual(delivery.recover(), 0)
        with time_machine.travel(timezone.now() + delivery.lease() + dt.timedelta(seconds=1)):
            self.assertEqual(delivery.recover(), 1)
            run_due_tasks()
        message.refresh_from_db()
        self.assertEqual(message.state, Message.State.SENT)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].extra_headers["Message-ID"], "<left@alongside.example>")

    def test_a_task_left_running_by_a_killed_worker_runs_again(self):
        booking = self.book_patient()
        result = send_booking_email.enqueue(booking.pk, "booking-confirmed")
        DBTaskResult.objects.filter(pk=result.id).update(
            status="RUNNING", started_at=timezone.now()
        )
        self.assertEqual(delivery.recover(), 0)
        with time_machine.travel(timezone.now() + delivery.task_lease() + dt.timedelta(minutes=1)):
            self.assertEqual(delivery.recover(), 1)
            run_due_tasks()
        self.assertEqual(len(self.sent_to(booking.email)), 1)


# A real worker process, killed with SIGKILL in the middle of a send, then a second one.


def _start_worker(mail_dir: Path, block: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alongside.lib.tests.worker_settings",
        "TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "TEST_MAIL_DIR": str(mail_dir),
        "TEST_MAIL_BLOCK": block,
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "alongside.cli", "worker", "--no-reload"]
    command += ["--interval", "0.2", "--no-startup-delay", "--queue-name", "*"]
    return subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def _all_done() -> bool:
    busy = DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists()
    unsent = Message.objects.exclude(state=Message.State.SENT).exists()
    return not busy and not unsent


@pytest.mark.slow  # real worker processes, one killed mid-send
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("topics_put_back")
@pytest.mark.parametrize("block", ["before", "after"])
def test_a_worker_killed_mid_send_neither_loses_nor_duplicates(tmp_path, block):
    """'before': killed before the server took the message: it arrives exactly once.

    'after': killed after the server took it but before the outbox knew: it goes again with
    the same Message-ID, so the receiving end counts one message (at-least-once, counted once).
    """
    BaseTestCase.setUpTestData()
    base = BaseTestCase()
    for name in ("Ann", "Bob", "Cat"):
        booking = base.book(BaseTestCase.session, name=name)
        send_booking_email.enqueue(booking.pk, "booking-confirmed")

    first = _start_worker(tmp_path, block)
    try:
        _wait_for(lambda: (tmp_path / "blocked").exists())
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    (tmp_path / "blocked").unlink()
    assert Message.objects.filter(state=Message.State.SENDING).count() == 1

    second = _start_worker(tmp_path, "")
    try:
        _wait_for(_all_done)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=10)

    deliveries = Counter(p.name.split("--", 1)[1][: -len(".eml")] for p in tmp_path.glob("*.eml"))
    message_ids = {m.message_id.strip("<>") for m in Message.objects.all()}
    assert Message.objects.count() == 3
    assert set(deliveries) == message_ids
    if block == "before":
        assert sorted(deliveries.values()) == [1, 1, 1]
    else:
        assert sorted(deliveries.values()) == [1, 1, 2]
