"""Booking workflows: taking a place, the waiting list, cancelling.

Every place is taken while holding a lock on the session row (select_for_update on
PostgreSQL; on SQLite the IMMEDIATE transaction mode serialises writers), so a burst of
bookings can never take more places than the session has.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.bookings.models import Booking
from alongside.bookings.tasks import send_booking_email
from alongside.surgeries.models import Session, Topic
from alongside.surgeries.services import organisation_for_name


def _email_on_commit(booking: Booking, message: str) -> None:
    transaction.on_commit(partial(send_booking_email.enqueue, booking.pk, message))


def _lock_session(session_id: int) -> Session:
    return Session.objects.select_for_update().get(pk=session_id)


def booking_create(
    *,
    session: Session,
    role: str,
    name: str,
    email: str,
    organisation_name: str = "",
    goal: str = "",
    topics: Iterable[Topic] = (),
    consent_contact: bool = False,
) -> Booking:
    """Take a place at the session, or a place on its waiting list when it is full."""
    with transaction.atomic():
        session = _lock_session(session.pk)
        has_room = session.places_left(role) > 0
        booking = Booking.objects.create(
            session=session,
            role=role,
            status=Booking.Status.BOOKED if has_room else Booking.Status.WAITING,
            name=name,
            email=email,
            organisation=organisation_for_name(organisation_name),
            goal=goal,
            consent_contact=consent_contact,
        )
        booking.topics.set(topics)
        audit("booking.create", booking, surgery_id=session.surgery_id, status=booking.status)
        _email_on_commit(booking, "booking_confirmed" if has_room else "booking_waiting")
    return booking


def booking_cancel(*, booking: Booking, actor=None) -> Booking:
    """Cancel a place. A freed place goes to the first person on the waiting list."""
    with transaction.atomic():
        session = _lock_session(booking.session_id)
        # Re-read under the lock: a second click on "cancel" must not free a second place.
        booking = Booking.objects.get(pk=booking.pk)
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.WAITING):
            return booking
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
        audit("booking.cancel", booking, actor=actor, surgery_id=session.surgery_id)
        fill_free_places(session)
    return booking


def fill_free_places(session: Session) -> list[Booking]:
    """Move people up from the waiting list into any free places, oldest first.

    The caller holds the session lock. Nobody moves up once a session has started.
    """
    promoted: list[Booking] = []
    if session.is_past:
        return promoted
    for role in Booking.Role.values:
        free = session.places_left(role)
        if free <= 0:
            continue
        waiting = session.bookings.filter(role=role, status=Booking.Status.WAITING)
        for booking in waiting.order_by("created_at", "id")[:free]:
            booking.status = Booking.Status.BOOKED
            booking.promoted_at = timezone.now()
            booking.save(update_fields=["status", "promoted_at"])
            audit("booking.promote", booking, surgery_id=session.surgery_id)
            _email_on_commit(booking, "booking_promoted")
            promoted.append(booking)
    return promoted
