"""The outbox: every email is stored before it is sent, sent with a lease, and retried.

A message moves queued → sending → sent. `deliver` takes a queued message with a
conditional UPDATE (so two workers never both take it), commits that with a lease, then
talks to the mail server, then marks it sent. What can go wrong:
- The mail server refuses for good (a 5xx answer): the message is *failed* at once and the
  address is recorded as undeliverable (outbox/bounces.py); nothing is retried.
- The mail server refuses for now or cannot be reached: the message goes back to *queued* with the
  next delay from RETRY_DELAYS and a task to try then. After the last one it is *failed*:
  logged at ERROR, listed in the admin and counted on /health/. Never dropped silently.
- The worker is killed mid-send: the message stays *sending* until its lease runs out, then
  `recover` (run by every `alongside worker` once a minute) queues it again. If the server
  had accepted it before the kill, it goes out twice with the same Message-ID, which mail
  servers and clients use to spot a duplicate: at-least-once, counted once.
- The worker is killed while running a task (rendering, before the message is stored):
  the task row stays RUNNING for ever, so `recover` puts tasks that have been running for
  longer than TASK_LEASE back in the queue. Every task here is safe to run twice: each
  message has a key, and a key already stored is not sent again.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alongside.outbox import bounces
from alongside.outbox.models import Message, Undeliverable

logger = logging.getLogger(__name__)

# 1, 5, 25 minutes, about 2 and 10 hours, then a day: 7 tries over about a day and a half.
RETRY_DELAYS = [dt.timedelta(minutes=m) for m in (1, 5, 25, 125, 625, 1440)]


def _seconds(name: str, default: float) -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, name, default))


def lease() -> dt.timedelta:
    # Far longer than the SMTP timeout (10 s), so a slow send is never taken for a dead one.
    return _seconds("OUTBOX_LEASE_SECONDS", 300)


def task_lease() -> dt.timedelta:
    return _seconds("TASK_LEASE_SECONDS", 1800)


def _domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "alongside.example"


def store(email: EmailMultiAlternatives, *, key: str) -> Message:
    """Put one rendered message in the outbox. Call inside the transaction that claims its key."""
    html = next((c for c, mimetype in email.alternatives if mimetype == "text/html"), "")
    attachments = []
    for filename, content, mimetype in email.attachments:
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode(), mimetype])
    return Message.objects.create(
        key=key,
        message_id=make_msgid(domain=_domain()),
        to=email.to[0],
        # str() as the text fields would store them: a lazy subject, or a bytes alternative.
        subject=str(email.subject),
        body_text=str(email.body),
        body_html=str(html),
        headers=email.extra_headers,
        attachments=attachments,
    )


def _email(message: Message) -> EmailMultiAlternatives:
    headers = {**message.headers, "Message-ID": message.message_id}
    email = EmailMultiAlternatives(
        message.subject, message.body_text, to=[message.to], headers=headers
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for filename, content, mimetype in message.attachments:
        email.attach(filename, base64.b64decode(content), mimetype)
    return email


def deliver(message_id: int) -> bool:
    """Send one queued message that is due. True if it went; False if not ours or it failed."""
    now = timezone.now()
    taken = Message.objects.filter(
        pk=message_id, state=Message.State.QUEUED, next_attempt_at__lte=now
    ).update(state=Message.State.SENDING, lease_until=now + lease(), attempts=F("attempts") + 1)
    if not taken:
        return False
    message = Message.objects.get(pk=message_id)
    # Queued before the address bounced (a provider's report, a refusal of another message):
    # sending would only bounce again.
    if bounces.is_undeliverable(message.to):
        Message.objects.filter(pk=message_id, state=Message.State.SENDING).update(
            state=Message.State.FAILED, lease_until=None, last_error="undeliverable address"
        )
        logger.info(
            "Email %s (key %s) not sent: the address is undeliverable", message.pk, message.key
        )
        return False
    try:
        _email(message).send()
    except Exception as e:  # noqa: BLE001 - every failure to send is retried
        _failed(message, e)
        return False
    Message.objects.filter(pk=message_id, state=Message.State.SENDING).update(
        state=Message.State.SENT,
        sent_at=timezone.now(),
        lease_until=None,
        last_error="",
        to="",
        subject="",
        body_text="",
        body_html="",
        attachments=[],
    )
    return True


def _failed(message: Message, error: Exception) -> None:
    # The exception's text can hold addresses (SMTPRecipientsRefused does): the log gets its
    # class only; the full text stays in the outbox row for admins.
    reason = f"{type(error).__name__}: {error}"[:1000]
    kind = type(error).__name__
    if bounces.is_permanent(error):
        # A 5xx refusal: the server will say the same next time. Not retried, and the
        # address is not sent to again until an organiser clears it.
        with transaction.atomic():
            Message.objects.filter(pk=message.pk, state=Message.State.SENDING).update(
                state=Message.State.FAILED, lease_until=None, last_error=reason
            )
            bounces.mark(email=message.to, reason=reason, source=Undeliverable.Source.SMTP)
        logger.error(
            "Email %s (key %s) refused for good by the mail server: %s",
            message.pk,
            message.key,
            kind,
        )
        return
    if message.attempts > len(RETRY_DELAYS):
        Message.objects.filter(pk=message.pk, state=Message.State.SENDING).update(
            state=Message.State.FAILED, lease_until=None, last_error=reason
        )
        logger.error(
            "Gave up sending email %s (key %s) after %d attempts: %s",
            message.pk,
            message.key,
            message.attempts,
            kind,
        )
        return
    at = timezone.now() + RETRY_DELAYS[message.attempts - 1]
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, state=Message.State.SENDING).update(
            state=Message.State.QUEUED, next_attempt_at=at, lease_until=None, last_error=reason
        )
        deliver_message.using(run_after=at).enqueue(message.pk)
    logger.warning(
        "Email %s (key %s) not sent, attempt %d: %s; trying again at %s",
        message.pk,
        message.key,
        message.attempts,
        kind,
        at.isoformat(timespec="seconds"),
    )


@task()
def deliver_message(message_id: int) -> None:
    deliver(message_id)


def recover(now: dt.datetime | None = None) -> int:
    """Pick up what a killed worker left behind. Safe to run often, by any number of workers."""
    now = now or timezone.now()
    picked = 0
    # Messages left *sending* past their lease: their worker died mid-send.
    stale = Message.objects.filter(state=Message.State.SENDING, lease_until__lt=now)
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            left = Message.objects.filter(pk=pk, state=Message.State.SENDING, lease_until__lt=now)
            if left.update(state=Message.State.QUEUED, next_attempt_at=now, lease_until=None):
                deliver_message.enqueue(pk)
                picked += 1
                logger.warning("Email %s was left sending by a stopped worker: queued again", pk)
    # Queued messages long overdue: the task that was to send them was lost with a worker.
    # Moving next_attempt_at on stops the next sweep from queuing another task at once.
    overdue = Message.objects.filter(state=Message.State.QUEUED, next_attempt_at__lt=now - lease())
    for pk in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            queued = Message.objects.filter(pk=pk, state=Message.State.QUEUED)
            if queued.update(next_attempt_at=now):
                deliver_message.enqueue(pk)
                picked += 1
    # Tasks still RUNNING long after they started: their worker was killed. Run them again.
    orphans = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now - task_lease())
    for result_id in orphans.values_list("pk", flat=True):
        if DBTaskResult.objects.filter(pk=result_id, status="RUNNING").update(status="READY"):
            picked += 1
            logger.warning("Task %s was left running by a stopped worker: queued again", result_id)
    return picked


def failed_count() -> int:
    return Message.objects.filter(state=Message.State.FAILED).count()
