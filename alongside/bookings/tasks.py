"""Every email about bookings and sessions, sent by the task worker.

Services enqueue these after their transaction commits. Scheduled ones (reminders,
thank-yous, the surgeon check) run later with `run_after`, and look again when they run:
a booking may have been cancelled, or its session moved, in the meantime. Each message is
sent at most once per person (outbox.emails.send claims a key), whichever worker runs it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from alongside.bookings.models import Booking, SessionMessage
from alongside.groups.checkup_services import checkup_if_due
from alongside.groups.quickwins import latest_quick_wins
from alongside.guidance import links as guidance_links
from alongside.helprecords import outcomes
from alongside.lib import site
from alongside.outbox import emails
from alongside.surgeries.calendar import session_calendar
from alongside.surgeries.models import Organiser, Session

# A little slack, so a task run a few seconds early by the clock still counts as due.
EARLY = dt.timedelta(minutes=1)
DIGEST_TIME = dt.time(8, 0)
# Call out past surgeons only for sessions this close: further ahead, people may still offer.
CALLOUT_WITHIN = dt.timedelta(days=14)
# Messages that carry the session as a calendar file.
WITH_CALENDAR = {"booking-confirmed", "booking-promoted", "session-moved", "booking-moved"}


def _booking(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related("session__surgery", "session__venue", "organisation")
        .filter(pk=booking_id)
        .first()
    )


def _may_write(booking: Booking | None) -> bool:
    # Someone booked by phone may have no address, or may not want emails from us.
    return booking is not None and bool(booking.email) and booking.consent_contact


def _booking_context(booking: Booking) -> dict:
    return {
        "booking": booking,
        "session": booking.session,
        "booking_url": site.absolute(booking.get_absolute_url()),
        "cancel_url": site.absolute(booking.get_cancel_url()),
    }


def _later(when: dt.datetime) -> bool:
    return timezone.now() < when - EARLY


def queue(
    task_, *args, run_after: dt.datetime | None = None, as_of: dt.datetime | None = None
) -> None:
    """Queue a task now, or for later. A time already passed `as_of` (now, by default), such
    as a booking made the evening before its reminder, queues nothing."""
    if run_after is None:
        task_.enqueue(*args)
    elif run_after > (as_of or timezone.now()):
        task_.using(run_after=run_after).enqueue(*args)


@task()
def booking_made(booking_id: int, message: str) -> None:
    """Everything a new booking sets going, queued here rather than in the request.

    The request queues this one task, so a rush of bookings for one session spends its time
    on the places, not on six inserts into the queue. Each task queued here checks again
    when it runs (the booking may be cancelled by then).
    """
    booking = _booking(booking_id)
    if booking is None:
        return
    session = booking.session
    # Whether a time has passed is judged as the booking was made, not when a busy worker
    # gets here: a reminder due meanwhile is sent late rather than not at all.
    made = booking.created_at
    send_booking_email.enqueue(booking_id, message, "")
    notify_organisers.enqueue(booking_id)
    if message == "booking-confirmed":
        queue(send_reminder, booking_id, run_after=session.reminder_at, as_of=made)
    queue(send_thank_you, booking_id, run_after=session.thank_you_at, as_of=made)
    if booking.role == Booking.Role.HELP:
        call_out_surgeons.enqueue(session.pk)
        if booking.organisation_id:
            checkup_if_due(organisation_id=booking.organisation_id)
        # Also scheduled when the session is saved; sessions made elsewhere (the admin,
        # imports) get theirs here. Repeats are harmless: the warning goes once.
        queue(check_surgeon_cover, session.pk, run_after=session.cover_check_at, as_of=made)


@task()
def send_booking_email(booking_id: int, message: str, version: str = "") -> None:
    """Messages about a person's own booking: no unsubscribe link, they asked for it."""
    booking = _booking(booking_id)
    if booking is None or not _may_write(booking):
        return
    attachments = []
    # Someone still waiting has no place to put in a calendar (a moved session tells them too).
    if message in WITH_CALENDAR and booking.status == Booking.Status.BOOKED:
        attachments = [("session.ics", session_calendar(booking.session), "text/calendar")]
    ctx = _booking_context(booking)
    ctx["waiting_number"] = booking.waiting_number()
    if message == "booking-confirmed" and booking.role == Booking.Role.HELP:
        # From a look at the group's website: something to bring to the surgery.
        found = latest_quick_wins([booking.organisation_id])
        ctx["quick_wins"] = found.get(booking.organisation_id or 0, [])
    emails.send(
        message,
        booking.email,
        ctx,
        key=f"{message}:{booking_id}:{version}",
        attachments=attachments,
        language=booking.language,
    )


def reminder_key(booking_id: int, date: dt.date) -> str:
    """The once-only key of a booking's reminder: one per person for each date of the session,
    so a session moved to another day reminds everyone again."""
    return f"reminder:{booking_id}:{date}"


@task()
def send_reminder(booking_id: int, now: bool = False) -> None:
    """The reminder the day before, or earlier when an organiser pressed "Send now" (`now`).

    Whichever runs first sends it: the other finds its key taken and sends nothing.
    """
    booking = _booking(booking_id)
    if booking is None or booking.status != Booking.Status.BOOKED or not _may_write(booking):
        return
    session = booking.session
    if not session.is_open:
        return
    if not now and _later(session.reminder_at):
        # The session moved later since this was scheduled: wait for the new time.
        send_reminder.using(run_after=session.reminder_at).enqueue(booking_id)
        return
    ctx = _booking_context(booking)
    ctx["coming_url"] = site.absolute(booking.get_coming_url())
    emails.send(
        "reminder",
        booking.email,
        ctx,
        key=reminder_key(booking_id, session.date),
        language=booking.language,
    )


@task()
def send_thank_you(booking_id: int) -> None:
    booking = _booking(booking_id)
    if booking is None or booking.status not in (Booking.Status.BOOKED, Booking.Status.ATTENDED):
        return
    if not _may_write(booking):
        return
    session = booking.session
    # A campaign chapter's event asks nobody what they got done: its thank-yous are the
    # chapter's own (the hub's checklist has them).
    if session.is_cancelled or session.surgery.is_event_host:
        return
    if _later(session.thank_you_at):
        send_thank_you.using(run_after=session.thank_you_at).enqueue(booking_id)
        return
    ctx = _booking_context(booking)
    ctx["done_url"] = site.absolute(booking.get_done_url())
    # The loop of generosity: someone helped twice, or confident now, is asked to help others.
    if not booking.is_surgeon and outcomes.ready_to_help(booking.email):
        ctx["invite_to_help"] = True
        ctx["help_out_url"] = site.absolute(outcomes.help_out_path(session.surgery))
    # "Here is a sheet on what you did today": on what was recorded, or else what they booked for.
    ctx["sheets"] = guidance_links.for_thank_you(booking)
    emails.send(
        "thank-you", booking.email, ctx, key=f"thank-you:{booking_id}", language=booking.language
    )


def message_context(booking: Booking, text: str) -> dict:
    """What an organiser's message to everyone booked is rendered with, for each person."""
    return {**_booking_context(booking), "text": text, "surgery": booking.session.surgery}


@task()
def send_session_message(message_id: int) -> None:
    """An organiser's own words to everyone booked, one email each, each sent once."""
    message = SessionMessage.objects.filter(pk=message_id).first()
    if message is None:
        return
    people = Booking.objects.filter(pk__in=message.recipients).select_related(
        "session__surgery", "session__venue", "organisation"
    )
    for booking in people:
        if not _may_write(booking):  # withdrawn since it was sent, or erased
            continue
        emails.send(
            "session-message",
            booking.email,
            message_context(booking, message.text),
            key=f"session-message:{message_id}:{booking.pk}",
            language=booking.language,
        )


# What organisers hear about, each as its own email or a line in the daily digest.
ORGANISER_MESSAGES = {"new": "organiser-new-booking", "cancelled": "organiser-cancelled-booking"}


@task()
def booking_cancelled(booking_id: int) -> None:
    """The person cancelled their own place: tell them it is done, and tell the organisers."""
    send_booking_email.enqueue(booking_id, "booking-cancelled", "")
    notify_organisers.enqueue(booking_id, "cancelled")


@task()
def notify_organisers(booking_id: int, event: str = "new") -> None:
    """Tell organisers about a new or cancelled booking, now or in tomorrow morning's digest."""
    booking = _booking(booking_id)
    if booking is None:
        return
    message = ORGANISER_MESSAGES[event]
    links = Organiser.objects.filter(surgery_id=booking.session.surgery_id).select_related("user")
    for link in links:
        if link.booking_emails == Organiser.BookingEmails.EACH:
            emails.send(
                message,
                link.user.email,
                {**_booking_context(booking), "bookings_url": _bookings_url(booking.session)},
                key=f"{event}-booking:{booking_id}:{link.user_id}",
                unsubscribe_kind=emails.ORGANISER_UPDATES,
            )
        elif link.booking_emails == Organiser.BookingEmails.DIGEST:
            at = next_digest_at()
            send_digest.using(run_after=at).enqueue(link.pk, at.isoformat())


def next_digest_at(now: dt.datetime | None = None) -> dt.datetime:
    now = timezone.localtime(now or timezone.now())
    at = timezone.make_aware(dt.datetime.combine(now.date(), DIGEST_TIME))
    return at if at > now else at + dt.timedelta(days=1)


def _bookings_url(session: Session) -> str:
    return site.absolute(reverse("session_bookings", args=[session.pk]))


@task()
def send_digest(organiser_id: int, at: str) -> None:
    """One email a day listing the bookings made, and those cancelled, in the day before `at`.

    The window comes from the time the digest was due, not the time it runs, so a worker
    that was down for a while still sends each day's bookings once. Places released by
    calling a whole session off are not listed: the organisers did that themselves.
    """
    link = Organiser.objects.select_related("user", "surgery").filter(pk=organiser_id).first()
    if link is None or link.booking_emails != Organiser.BookingEmails.DIGEST:
        return
    until = dt.datetime.fromisoformat(at)
    since = until - dt.timedelta(days=1)
    bookings = (
        Booking.objects.filter(
            session__surgery=link.surgery, created_at__gt=since, created_at__lte=until
        )
        .select_related("session", "organisation")
        .order_by("session__date", "created_at")
    )
    cancelled = (
        Booking.objects.filter(
            session__surgery=link.surgery,
            status=Booking.Status.CANCELLED,
            session__cancelled_at__isnull=True,
            cancelled_at__gt=since,
            cancelled_at__lte=until,
        )
        .select_related("session", "organisation")
        .order_by("session__date", "cancelled_at")
    )
    if not bookings and not cancelled:
        return
    emails.send(
        "organiser-digest",
        link.user.email,
        {
            "surgery": link.surgery,
            "bookings": bookings,
            "cancelled": cancelled,
            "organise_url": site.absolute("/organise/"),
        },
        key=f"digest:{organiser_id}:{until.date()}",
        unsubscribe_kind=emails.ORGANISER_UPDATES,
    )


@task()
def check_surgeon_cover(session_id: int) -> None:
    """Two days ahead: warn organisers, and call out past surgeons, if too few are coming."""
    session = Session.objects.with_counts().select_related("surgery").filter(pk=session_id).first()
    if session is None or not session.is_open:
        return
    if _later(session.cover_check_at):
        check_surgeon_cover.using(run_after=session.cover_check_at).enqueue(session_id)
        return
    if not session.is_short_of_surgeons:
        return
    ctx = {"session": session, "bookings_url": _bookings_url(session)}
    for link in session.surgery.organiser_links.select_related("user"):
        emails.send(
            "organiser-surgeons-short",
            link.user.email,
            ctx,
            key=f"surgeons-short:{session_id}:{session.date}:{link.user_id}",
            unsubscribe_kind=emails.ORGANISER_UPDATES,
        )
    call_out_surgeons.enqueue(session_id)


@task()
def call_out_surgeons(session_id: int) -> None:
    """Ask volunteers who helped at this surgery before: at most once per person per session."""
    session = Session.objects.with_counts().select_related("surgery", "venue").get(pk=session_id)
    if not session.is_open or not session.is_short_of_surgeons:
        return
    if session.starts_at - timezone.now() > CALLOUT_WITHIN:
        return
    coming = session.bookings.filter(role=Booking.Role.SURGEON).values("email")
    past = (
        Booking.objects.filter(
            session__surgery=session.surgery,
            session__date__lt=session.date,
            role=Booking.Role.SURGEON,
            status=Booking.Status.ATTENDED,
            consent_callouts=True,
        )
        .exclude(Q(email__in=coming))
        .order_by("email", "-created_at")
    )
    seen: set[str] = set()
    help_url = site.absolute(session.get_absolute_url())
    for surgeon in past:
        address = surgeon.email.lower()
        if address in seen:
            continue
        seen.add(address)
        emails.send(
            "surgeons-needed",
            surgeon.email,
            {"session": session, "name": surgeon.name, "help_url": help_url},
            key=f"callout:{session_id}:{address}",
            unsubscribe_kind=emails.CALLOUTS,
        )
