"""Demo data for the outbox: one email that could not be sent, for the admin to see."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.outbox import delivery
from alongside.outbox.models import Message


def add_demo(*, today: dt.date) -> dict[str, int]:
    """An organiser's email refused by the mail server seven times, a day and a half ago.

    It shows under Outgoing email in /admin/ (with "Try sending again") and as
    "failed_emails": 1 on /health/.
    """
    created = timezone.make_aware(dt.datetime.combine(today, dt.time(9))) - dt.timedelta(days=2)
    Message.objects.create(
        key="demo:organiser-new-booking:failed",
        message_id="<demo-failed@alongside.example>",
        state=Message.State.FAILED,
        to="old-address@dudleycvs.example",
        subject="A new booking for Dudley Social Media Surgery",
        body_text="Someone has booked a place.",
        attempts=len(delivery.RETRY_DELAYS) + 1,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
        created_at=created,
        next_attempt_at=created,
    )
    return {"failed_emails": 1}
