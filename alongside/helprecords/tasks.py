"""Emails about the help given: record links for surgeons, one reminder, six-week follow-ups."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from alongside.helprecords.access import follow_up_token, record_token
from alongside.helprecords.models import HelpRecord, Pairing
from alongside.lib import site
from alongside.outbox import emails
from alongside.surgeries.models import Session

UNRECORDED_REMINDER_AFTER = dt.timedelta(days=1)
FOLLOW_UP_AFTER = dt.timedelta(weeks=6)


@task()
def send_record_link(pairing_id: int) -> None:
    """After a pairing ends, the surgeon gets a link to record it, if nobody has yet."""

    pairing = (
        Pairing.objects.select_related("session__surgery", "session__venue", "person", "surgeon")
        .filter(pk=pairing_id)
        .first()
    )
    if (
        pairing is None
        or not pairing.surgeon.email
        or HelpRecord.objects.filter(pairing=pairing).exists()
    ):
        return
    url = site.absolute(reverse("pairing_record", args=[record_token(pairing)]))
    emails.send(
        "record-help",
        pairing.surgeon.email,
        {"pairing": pairing, "session": pairing.session, "record_url": url},
        key=f"record-link:{pairing_id}",
        language=pairing.surgeon.language,
    )


@task()
def remind_unrecorded(session_id: int) -> None:
    """One day after a session, one email listing pairings nobody recorded. Never again."""
    session = Session.objects.select_related("surgery", "venue").filter(pk=session_id).first()
    if session is None:
        return
    due = session.ends_at + UNRECORDED_REMINDER_AFTER
    if timezone.now() < due - dt.timedelta(minutes=1):
        remind_unrecorded.using(run_after=due).enqueue(session_id)
        return
    missing = list(
        session.pairings.filter(help_record__isnull=True).select_related("person", "surgeon")
    )
    if not missing:
        return
    url = site.absolute(reverse("session_console", args=[session.pk]))
    for link in session.surgery.organiser_links.select_related("user"):
        emails.send(
            "organiser-unrecorded",
            link.user.email,
            {"session": session, "pairings": missing, "console_url": url},
            key=f"unrecorded:{session_id}:{link.user_id}",
            unsubscribe_kind=emails.ORGANISER_UPDATES,
        )


@task()
def send_follow_up(record_id: int) -> None:
    """Six weeks on, two questions and a comment. Sent once per record of help."""
    record = (
        HelpRecord.objects.select_related("session__surgery", "booking")
        .filter(pk=record_id)
        .first()
    )
    if record is None or not record.booking.email or hasattr(record, "follow_up"):
        return
    url = site.absolute(reverse("follow_up", args=[follow_up_token(record)]))
    emails.send(
        "follow-up",
        record.booking.email,
        {"record": record, "session": record.session, "follow_up_url": url},
        key=f"follow-up:{record_id}",
        language=record.booking.language,
    )
