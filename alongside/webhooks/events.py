"""From what happened to what is sent: one Delivery per endpoint that asked for the event.

What a payload holds is what the surgery's organisers already see on "who is coming": the
booking's id, session, role, status and the person's name. Never their email address,
phone, goal or access needs: those stay in Alongside, and the organiser looks them up there.
A help record sends its id, session, booking, topics and minutes, never the note.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.lib import site
from alongside.lib.prepared import Prepared
from alongside.surgeries.models import Session
from alongside.webhooks import sending
from alongside.webhooks.models import Delivery, Endpoint, Event


def _session(session: Session) -> dict[str, Any]:
    return {
        "id": session.pk,
        "date": session.date.isoformat(),
        "start_time": session.start_time.isoformat(timespec="minutes"),
        "end_time": session.end_time.isoformat(timespec="minutes"),
        "url": site.absolute(reverse("session", args=[session.pk])),
    }


def booking_payload(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "session": _session(booking.session),
        "role": booking.role,
        "status": booking.status,
        "name": booking.name,
        "created_at": booking.created_at.isoformat(),
    }


def help_payload(record: HelpRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "session": _session(record.session),
        "booking_id": record.booking_id,
        "topics": sorted(t.slug for t in record.topics.all()),
        "minutes": record.minutes,
        "created_at": record.created_at.isoformat(),
    }


# Asked after every booking, whether or not the surgery has an endpoint: prepared, so it
# costs no more than the database's answer (lib/prepared.py).
_endpoints = Prepared(lambda surgery_id: Endpoint.objects.filter(surgery_id=surgery_id))


def _listening(surgery_id: int, event: str) -> list[Endpoint]:
    return [e for e in _endpoints.list(surgery_id=surgery_id) if event in e.events]


def queue_event(
    *,
    surgery_id: int,
    event: str,
    data: dict[str, Any],
    booking_id: int | None,
    endpoints: list[Endpoint] | None = None,
) -> int:
    """A delivery for each of the surgery's endpoints that wants this event (`endpoints`, when
    the caller has them already); each is sent by the worker. Returns how many."""
    if endpoints is None:
        endpoints = _listening(surgery_id, event)
    if not endpoints:
        return 0
    with transaction.atomic():
        for endpoint in endpoints:
            payload = {
                "id": str(uuid.uuid4()),
                "event": event,
                "created_at": timezone.now().isoformat(),
                "surgery": endpoint.surgery.slug,
                "data": data,
            }
            delivery = Delivery.objects.create(
                endpoint=endpoint, event=event, payload=payload, booking_id=booking_id
            )
            transaction.on_commit(partial(sending.deliver_webhook.enqueue, delivery.pk))
    return len(endpoints)


def _booking_event(event: str, booking: Booking) -> None:
    # Most surgeries have no endpoint: one small query, and nothing read for them.
    endpoints = _listening(booking.session.surgery_id, event)
    if not endpoints:
        return
    # Read again: the payload says what is true now, not what the sender held.
    fresh = Booking.objects.select_related("session").filter(pk=booking.pk).first()
    if fresh is None:
        return
    queue_event(
        surgery_id=fresh.session.surgery_id,
        event=event,
        data={"booking": booking_payload(fresh)},
        booking_id=fresh.pk,
        endpoints=endpoints,
    )


def booking_made(sender, booking: Booking, **kwargs) -> None:
    _booking_event(Event.BOOKING_MADE, booking)


def booking_cancelled(sender, booking: Booking, **kwargs) -> None:
    _booking_event(Event.BOOKING_CANCELLED, booking)


def booking_promoted(sender, booking: Booking, **kwargs) -> None:
    _booking_event(Event.BOOKING_PROMOTED, booking)


def help_recorded(sender, record: HelpRecord, **kwargs) -> None:
    fresh = (
        HelpRecord.objects.select_related("session")
        .prefetch_related("topics")
        .filter(pk=record.pk)
        .first()
    )
    if fresh is None:
        return
    queue_event(
        surgery_id=fresh.session.surgery_id,
        event=Event.HELP_RECORDED,
        data={"help_record": help_payload(fresh)},
        booking_id=fresh.booking_id,
    )
