"""Dormant surgeries: nothing held for six months and nothing planned. Ask once, kindly.

Each spell of dormancy is asked about once: `dormant_asked_at` is set by a conditional
update before the email is queued, and the email's key names the day it was asked, so a
second run of the job, or a second worker, sends nothing more. A new session clears the
mark (services.session_save), so a later spell asks again.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from alongside.lib import site
from alongside.outbox import emails
from alongside.surgeries.models import DORMANT_AFTER, Surgery


def dormant_surgeries():
    """Public surgeries with no session in the last six months, none coming, not yet asked."""
    today = timezone.localdate()
    since = today - DORMANT_AFTER
    return (
        Surgery.objects.public()
        .with_activity()
        .filter(dormant_asked_at__isnull=True, next_date__isnull=True)
        .filter(Q(last_date__isnull=True) | Q(last_date__lt=since))
        # A surgery listed lately has held nothing yet, but is not asleep.
        .filter(created_at__lt=timezone.now() - DORMANT_AFTER)
        .order_by("pk")
    )


def ask_dormant_surgeries() -> int:
    """The daily job: mark each newly dormant surgery as asked, and email its organisers."""
    asked = 0
    for surgery_id in dormant_surgeries().values_list("pk", flat=True):
        with transaction.atomic():
            now = timezone.now()
            claimed = Surgery.objects.filter(pk=surgery_id, dormant_asked_at__isnull=True).update(
                dormant_asked_at=now
            )
            if claimed:
                asked += 1
                transaction.on_commit(partial(send_dormant_question.enqueue, surgery_id))
    return asked


@task()
def send_dormant_question(surgery_id: int) -> None:
    surgery = Surgery.objects.filter(pk=surgery_id).first()
    if surgery is None or surgery.dormant_asked_at is None or not surgery.is_public:
        return
    ctx = {
        "surgery": surgery,
        "session_url": site.absolute(reverse("session_new", args=[surgery.slug])),
        "series_url": site.absolute(reverse("series_new", args=[surgery.slug])),
        "close_url": site.absolute(reverse("surgery_close", args=[surgery.slug])),
    }
    asked = surgery.dormant_asked_at.date().isoformat()
    for organiser in surgery.organisers.filter(is_active=True).order_by("pk"):
        emails.send(
            "surgery-dormant",
            organiser.email,
            {**ctx, "organiser": organiser},
            key=f"dormant:{surgery_id}:{organiser.pk}:{asked}",
        )
