"""A session's reminders, for its organisers: what will go and when, what went, who replied.

Nothing here is stored apart from what sending already keeps: a reminder's once-only key
(`tasks.reminder_key`) names its message in the outbox, so the outbox says whether it went
and when. One not in the outbox yet goes the day before, at the surgery's reminder time, to
everyone who had a place by then (tasks.booking_made, services.fill_free_places); "Send now"
sends it through the same key, so nobody gets two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alongside.accounts import consents
from alongside.bookings import services, tasks
from alongside.bookings.models import Booking
from alongside.outbox.models import Message
from alongside.surgeries.access import session_for_organiser
from alongside.surgeries.models import TAKES_A_PLACE, Session


class State:
    """Where one person's reminder stands, as the page says it."""

    SENT = "sent"  # the outbox sent it
    SENDING = "sending"  # in the outbox, waiting to go (or to be tried again)
    FAILED = "failed"  # the outbox gave up on it
    PLANNED = "planned"  # will go at the session's reminder time
    DUE = "due"  # its time has passed and it has not gone yet: the worker is behind
    TOO_LATE = "too_late"  # the place came after reminders went: none will go by itself
    NO_ADDRESS = "no_address"  # a walk-in who gave no email address
    NOT_EMAILED = "not_emailed"  # they asked not to be emailed about their visits
    NOT_SENT = "not_sent"  # the session is over or cancelled, and none went


# People wanting help first (the role's value sorts first), then surgeons; each by name.
ORDER = ("role", "name", "pk")


@dataclass(frozen=True)
class Reminder:
    booking: Booking
    state: str
    # When it went (sent), was put in the outbox (sending, failed) or will go (planned, due).
    at: dt.datetime | None
    can_send: bool


def reminders(session: Session) -> list[Reminder]:
    """Everyone with a place at the session, and their reminder. Three queries."""
    return _reminders(session, session.bookings.filter(status__in=TAKES_A_PLACE).order_by(*ORDER))


def _reminders(session: Session, bookings) -> list[Reminder]:
    people = [b for b in bookings if b.status in TAKES_A_PLACE]
    keys = {b.pk: tasks.reminder_key(b.pk, session.date) for b in people}
    outbox = {
        m.key: m
        for m in Message.objects.filter(key__in=keys.values()).only(
            "key", "state", "created_at", "sent_at"
        )
    }
    stopped = consents.withdrawn((b.email for b in people), consents.CONTACT)
    return [
        _reminder(session, booking, outbox.get(keys[booking.pk]), stopped) for booking in people
    ]


def _reminder(
    session: Session, booking: Booking, message: Message | None, stopped: set[str]
) -> Reminder:
    if message is not None:
        if message.state == Message.State.SENT:
            return Reminder(booking, State.SENT, message.sent_at, can_send=False)
        state = State.FAILED if message.state == Message.State.FAILED else State.SENDING
        return Reminder(booking, state, message.created_at, can_send=False)
    if not booking.email:
        return Reminder(booking, State.NO_ADDRESS, None, can_send=False)
    if booking.email.lower() in stopped:
        return Reminder(booking, State.NOT_EMAILED, None, can_send=False)
    if not session.is_open or booking.status != Booking.Status.BOOKED:
        return Reminder(booking, State.NOT_SENT, None, can_send=False)
    due = session.reminder_at
    if due > timezone.now():
        return Reminder(booking, State.PLANNED, due, can_send=True)
    # A place given after the reminder time (booked the evening before, or moved up from the
    # waiting list) gets no reminder by itself: that one is queued only for a time to come.
    given = booking.promoted_at or booking.created_at
    if given >= due:
        return Reminder(booking, State.TOO_LATE, None, can_send=True)
    return Reminder(booking, State.DUE, due, can_send=True)


def _page(request: HttpRequest, session: Session) -> HttpResponse:
    # The waiting list in the same query: they get a reminder only once they have a place.
    bookings = list(
        session.bookings.filter(status__in=(*TAKES_A_PLACE, Booking.Status.WAITING))
        .select_related("organisation")
        .order_by(*ORDER)
    )
    rows = _reminders(session, bookings)
    ctx = {
        "session": session,
        "surgery": session.surgery,
        "help_rows": [r for r in rows if r.booking.role == Booking.Role.HELP],
        "surgeon_rows": [r for r in rows if r.booking.role == Booking.Role.SURGEON],
        "sent": sum(1 for r in rows if r.state == State.SENT),
        "to_send": sum(1 for r in rows if r.can_send),
        "coming": sum(1 for r in rows if r.booking.confirmed_at),
        "waiting": sum(1 for b in bookings if b.status == Booking.Status.WAITING),
        "reminder_at": session.reminder_at,
        "reminders_passed": session.reminder_at <= timezone.now(),
    }
    return render(request, "bookings/reminders.html", ctx)


def session_reminders(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    return _page(request, session)


def _sent_message(request: HttpRequest, result: services.RemindersSent) -> None:
    if result.sent:
        if len(result.sent) == 1:
            text = _("A reminder is on its way to %(name)s.") % {"name": result.sent[0].name}
        else:
            count = len(result.sent)
            text = ngettext(
                "A reminder is on its way to %(count)s person.",
                "Reminders are on their way to %(count)s people.",
                count,
            ) % {"count": count}
        messages.success(request, text)
    if result.had_one:
        if len(result.had_one) == 1:
            text = _("%(name)s has already been sent a reminder, so we did not send another.") % {
                "name": result.had_one[0].name
            }
        else:
            count = len(result.had_one)
            text = ngettext(
                "%(count)s person has already been sent a reminder, so we did not send another.",
                "%(count)s people have already been sent a reminder, so we did not send "
                "them another.",
                count,
            ) % {"count": count}
        messages.info(request, text)
    if result.not_emailed:
        names = ", ".join(booking.name for booking in result.not_emailed)
        messages.info(
            request,
            _("No reminder went to %(names)s: they asked not to be emailed about their visits.")
            % {"names": names},
        )
    if not result.sent and not result.had_one and not result.not_emailed:
        messages.info(request, _("There was nobody to send a reminder to."))


@require_POST
def send_all(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    if not session.is_open:
        messages.error(request, _("This session is over or cancelled: no reminders can go now."))
        return redirect("session_reminders", session.pk)
    # Everyone with a place: those sent theirs already are told apart, and sent nothing.
    people = [r.booking for r in reminders(session)]
    result = services.reminders_send_now(session=session, bookings=people, actor=request.user)
    _sent_message(request, result)
    return redirect("session_reminders", session.pk)


@require_POST
def send_one(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    booking = get_object_or_404(session.bookings, pk=booking_id)
    if not session.is_open:
        messages.error(request, _("This session is over or cancelled: no reminders can go now."))
        return redirect("session_reminders", session.pk)
    if booking.status != Booking.Status.BOOKED or not booking.email:
        messages.error(
            request,
            _("%(name)s has no place at this session, or no email address, so no reminder can go.")
            % {"name": booking.name},
        )
        return redirect("session_reminders", session.pk)
    result = services.reminders_send_now(session=session, bookings=[booking], actor=request.user)
    _sent_message(request, result)
    return redirect("session_reminders", session.pk)
