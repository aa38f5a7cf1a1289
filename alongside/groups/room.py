"""Who was in the room: introducing, after a session that brought groups together, the
people who agreed to it, and recording the groups that then got in touch.

Bookings are read through the session's reverse relation: bookings builds on this app.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.groups import tasks
from alongside.groups.contacts import ANONYMISED
from alongside.groups.models import Connection, Introductions
from alongside.surgeries.models import Organisation, PlaceStatus, Session

# Sessions this recent are still introduced: a daily run missed for a few days catches up,
# and an old session's people are not written to out of the blue.
LOOK_BACK = dt.timedelta(days=14)


def in_the_room(session: Session) -> QuerySet:
    """Bookings of people who agreed to be introduced and were there: not cancelled,
    declined, waiting or missing; checked in, if the session used check-in."""
    bookings = session.bookings.filter(
        consent_introductions=True, status__in=[PlaceStatus.BOOKED, PlaceStatus.ATTENDED]
    ).exclude(name=ANONYMISED)
    if session.bookings.filter(checked_in_at__isnull=False).exists():
        bookings = bookings.filter(Q(checked_in_at__isnull=False) | Q(status=PlaceStatus.ATTENDED))
    return bookings


def introductions_send(*, session: Session) -> Introductions | None:
    """Claim a session's introductions and queue its emails: once, however often it runs.

    None where they went already, or fewer than two people agreed and were there.
    """
    with transaction.atomic():
        ids = list(in_the_room(session).order_by("pk").values_list("pk", flat=True))
        if len(ids) < 2:
            return None
        try:
            with transaction.atomic():
                claimed = Introductions.objects.create(session=session, people=len(ids))
        except IntegrityError:
            return None
        audit("groups.introductions", claimed, surgery_id=session.surgery_id, people=len(ids))
        transaction.on_commit(lambda: tasks.send_introductions.enqueue(session.pk, ids))
    return claimed


def send_due_introductions() -> int:
    """The daily job: every recently ended session that brought groups together."""
    today = timezone.localdate()
    sessions = (
        Session.objects.filter(
            date__gte=today - LOOK_BACK,
            date__lte=today,
            cancelled_at__isnull=True,
            introductions__isnull=True,
        )
        .exclude(for_kinds=[])
        .select_related("surgery")
    )
    sent = 0
    for session in sessions:
        if session.is_past and introductions_send(session=session):
            sent += 1
    return sent


def groups_at(session: Session) -> list[Organisation]:
    """The groups someone came for (or booked for) at a session."""
    return list(
        Organisation.objects.filter(
            bookings__session=session,
            bookings__status__in=[PlaceStatus.BOOKED, PlaceStatus.ATTENDED],
        ).distinct()
    )


def connection_record(
    *,
    session: Session | None,
    groups: tuple[Organisation, Organisation],
    actor: User | None = None,
    booking=None,
) -> tuple[Connection, bool]:
    """Two groups got in touch: kept once per pair and session, whoever says so first."""
    a, b = groups
    if a.pk == b.pk:
        raise ValueError("A group is not connected to itself.")
    first, second = (a, b) if a.pk < b.pk else (b, a)
    with transaction.atomic():
        connection, created = Connection.objects.get_or_create(
            first=first,
            second=second,
            session=session,
            defaults={"recorded_by": actor, "recorded_from": booking},
        )
        if created:
            audit(
                "groups.connect",
                connection,
                actor=actor,
                surgery_id=session.surgery_id if session else None,
                groups=[first.name, second.name],
            )
    return connection, created
