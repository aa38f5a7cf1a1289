"""When a group's website is checked: asked for, after a change, in a batch, six weeks on.

The looking itself happens in the background (`tasks.run_web_check`): these only queue it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.groups import tasks
from alongside.groups.models import CheckBatch, Profile, WebCheck
from alongside.surgeries.models import Area, Organisation, PlaceRole, PlaceStatus, Session

# Six weeks after the surgery: long enough to have fixed something.
RECHECK_AFTER = dt.timedelta(days=42)
# Sessions further back than this are not rechecked: a deploy must not recheck every group
# ever helped at once, and a recheck a year on says little about the surgery.
RECHECK_WITHIN = dt.timedelta(days=120)
# A look this recent is fresh enough for a new booking's surgeon.
FRESH_FOR = dt.timedelta(days=30)


def _queue(
    *, organisation: Organisation, website: str, reason: str, batch: CheckBatch | None, **details
) -> WebCheck:
    web_check = WebCheck.objects.create(
        organisation=organisation, url=website, reason=reason, batch=batch, details=details
    )
    transaction.on_commit(lambda: tasks.run_web_check.enqueue(web_check.pk))
    return web_check


def checkup_request(
    *,
    organisation: Organisation,
    reason: str,
    actor=None,
    batch: CheckBatch | None = None,
) -> WebCheck | None:
    """Queue a look at the group's website; None when its profile has no website.

    A check still waiting for the same address is reused, so pressing "Check again" twice
    or a batch over a group just added looks once.
    """
    website = (
        Profile.objects.filter(organisation=organisation).values_list("website", flat=True).first()
    )
    if not website:
        return None
    with transaction.atomic():
        waiting = WebCheck.objects.filter(
            organisation=organisation, url=website, outcome=WebCheck.Outcome.PENDING
        ).first()
        if waiting is not None:
            if batch is not None and waiting.batch_id is None:
                waiting.batch = batch
                waiting.save(update_fields=["batch"])
            return waiting
        web_check = _queue(organisation=organisation, website=website, reason=reason, batch=batch)
        if batch is None:  # a batch is audited once, as a whole
            audit("group.checkup_request", web_check, actor=actor, reason=reason)
    return web_check


def website_changed(*, organisation: Organisation, actor=None) -> WebCheck | None:
    """Call when a profile's website is added or changed: it is looked at straight away."""
    return checkup_request(organisation=organisation, reason=WebCheck.Reason.PROFILE, actor=actor)


def checkup_if_due(*, organisation_id: int) -> WebCheck | None:
    """When someone books for a group: look at its website unless someone did lately, so
    the surgeon's pairing card has its quick wins on the day."""
    recent = timezone.now() - FRESH_FOR
    if WebCheck.objects.filter(organisation_id=organisation_id, created_at__gte=recent).exists():
        return None
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return None
    return checkup_request(organisation=organisation, reason=WebCheck.Reason.BOOKING)


def groups_in_area(area: Area, kind: str = "") -> QuerySet[Organisation]:
    """Groups with a website whose profile is in the area (or below), or who booked there."""
    within = area.ids_within()
    groups = Organisation.objects.filter(
        Q(profile__area_id__in=within) | Q(bookings__session__surgery__area_id__in=within),
    ).exclude(profile__website="")
    groups = groups.filter(profile__isnull=False)
    if kind:
        groups = groups.filter(kind=kind)
    return groups.distinct().order_by("name")


def checkup_batch_create(*, area: Area, kind: str, actor) -> CheckBatch:
    """A coordinator's "check every group of this kind in my area at once"."""
    with transaction.atomic():
        batch = CheckBatch.objects.create(area=area, kind=kind, requested_by=actor)
        count = 0
        for organisation in groups_in_area(area, kind):
            if checkup_request(
                organisation=organisation, reason=WebCheck.Reason.COORDINATOR, batch=batch
            ):
                count += 1
        batch.groups = count
        batch.save(update_fields=["groups"])
        audit("group.checkup_batch", batch, actor=actor, kind=kind, groups=count)
    return batch


def queue_rechecks() -> int:
    """Daily: recheck each group helped at a session that ended six weeks ago or more.

    Once per session: a group with a RECHECK since that session ended is left alone. The
    recheck remembers when the session ended, so the figures can compare it with the last
    check before (`checkup_figures`).
    """
    now = timezone.now()
    sessions = Session.objects.filter(
        date__lte=(now - RECHECK_AFTER).date(),
        date__gte=(now - RECHECK_WITHIN).date(),
    )
    helped = (
        Organisation.objects.filter(
            bookings__session__in=sessions,
            bookings__role=PlaceRole.HELP,
            bookings__status=PlaceStatus.ATTENDED,
        )
        .exclude(profile__website="")
        .filter(profile__isnull=False)
        .values_list("pk", "profile__website", "bookings__session_id")
        .distinct()
    )
    ended = {s.pk: s.ends_at for s in sessions}
    queued = 0
    done: set[int] = set()
    for organisation_id, website, session_id in helped.order_by("pk", "-bookings__session__date"):
        if organisation_id in done:
            continue  # its latest session decides
        done.add(organisation_id)
        session_ended = ended[session_id]
        if session_ended > now - RECHECK_AFTER:
            continue
        if WebCheck.objects.filter(
            organisation_id=organisation_id,
            reason=WebCheck.Reason.RECHECK,
            created_at__gte=session_ended,
        ).exists():
            continue
        with transaction.atomic():
            _queue(
                organisation=Organisation(pk=organisation_id),
                website=website,
                reason=WebCheck.Reason.RECHECK,
                batch=None,
                session_id=session_id,
                session_ended_at=session_ended.isoformat(),
            )
        queued += 1
    return queued
