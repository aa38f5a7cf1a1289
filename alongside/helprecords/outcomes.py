"""What happened after the help: six-week follow-ups, and asking people back as surgeons."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from alongside.accounts.models import audit
from alongside.helprecords.models import FollowUp, HelpRecord
from alongside.surgeries.models import Session, Surgery

# Someone who says they now feel at least this confident (out of 5) could help others.
CONFIDENT = 4


def follow_up_answer(
    *,
    record: HelpRecord,
    still_using: str,
    confidence_before: int,
    confidence_now: int,
    comment: str,
) -> FollowUp:
    """Save the answers once. A second answer (another tab, a resent form) changes nothing."""
    with transaction.atomic():
        # get_or_create, not a check then create: two submits at once meet the one-to-one
        # constraint, and the loser gets the first answers back instead of an error.
        follow_up, created = FollowUp.objects.get_or_create(
            help_record=record,
            defaults={
                "still_using": still_using,
                "confidence_before": confidence_before,
                "confidence_now": confidence_now,
                "comment": comment,
            },
        )
        if created:
            audit("follow_up.answer", follow_up, surgery_id=record.session.surgery_id)
    return follow_up


def ready_to_help(email: str) -> bool:
    """Helped at two different sessions, or said six weeks on that they feel confident."""
    if not email:
        return False
    found = HelpRecord.objects.filter(booking__email__iexact=email).aggregate(
        sessions=Count("session", distinct=True),
        confident=Count("follow_up", filter=Q(follow_up__confidence_now__gte=CONFIDENT)),
    )
    return found["sessions"] >= 2 or found["confident"] > 0


def help_out_path(surgery: Surgery) -> str:
    """Where to offer to help: the next open session's help-out page, else the surgery page."""
    for session in Session.objects.upcoming().filter(surgery=surgery, cancelled_at=None)[:3]:
        # Today's session may already be over: upcoming() goes by date only.
        if session.is_open:
            return reverse("help_out", args=[session.pk])
    return surgery.get_absolute_url()
