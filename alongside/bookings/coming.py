"""Who is coming: the organiser's tools for one session's bookings.

Message everyone booked, download contacts, print a sign-in sheet, add a booking for
someone who phoned, change what they told you, move a booking to another session, and give
a free place to someone on the waiting list. Every view opens with session_for_organiser;
a booking id from another session is a 404.
"""

from __future__ import annotations

import csv
import secrets

from django.conf import settings
from django.contrib import messages
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alongside.bookings import services, tasks
from alongside.bookings.forms import (
    MessageForm,
    MoveBookingForm,
    OrganiserBookingForm,
    PhoneBookingForm,
)
from alongside.bookings.models import Booking
from alongside.outbox import bounces
from alongside.surgeries.access import session_for_organiser
from alongside.surgeries.models import TAKES_A_PLACE, Session


def _booking_in(session: Session, booking_id: int) -> Booking:
    return get_object_or_404(
        session.bookings.select_related("organisation").prefetch_related("topics"),
        pk=booking_id,
    )


def _back(session: Session) -> HttpResponse:
    return redirect("session_bookings", session.pk)


# --- Message everyone booked --------------------------------------------------------------


def _preview(session: Session, text: str, people: list[Booking]) -> dict[str, str]:
    """The email the first person will get, with their own links shown as what they are."""
    booking = people[0]
    ctx = {
        "site_name": settings.SITE_NAME,
        "site_root": settings.SITE_ROOT,
        **tasks.message_context(booking, text),
        "booking_url": _("[their own link to see or change their booking]"),
        "choices_url": _("[their own link to their data and choices]"),
    }
    subject = render_to_string("emails/session-message-subject.txt", ctx)
    return {
        "subject": " ".join(subject.split()),
        "body": render_to_string("emails/session-message-body.txt", ctx),
    }


def session_message(request: HttpRequest, session_id: int) -> HttpResponse:
    """Write, preview, send: nothing is sent until "Send" on the preview is pressed."""
    session = session_for_organiser(request, session_id)
    action = request.POST.get("action", "")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and action in ("preview", "send"):
        text = form.cleaned_data["text"]
        include_waiting = form.cleaned_data["include_waiting"]
        key = form.cleaned_data["key"]
        if action == "send" and key:
            sent = services.session_message_send(
                session=session,
                text=text,
                include_waiting=include_waiting,
                key=key,
                actor=request.user,
            )
            if sent is None:
                messages.info(request, _("This message was sent already, so it is not sent again."))
            else:
                count = len(sent.recipients)
                messages.success(
                    request,
                    ngettext(
                        "Your message is on its way to %(count)s person.",
                        "Your message is on its way to %(count)s people.",
                        count,
                    )
                    % {"count": count},
                )
            return _back(session)
        people = services.message_recipients(session, include_waiting=include_waiting)
        statuses = [Booking.Status.BOOKED] + [Booking.Status.WAITING] * include_waiting
        everyone = session.bookings.filter(status__in=statuses).count()
        ctx = {
            "session": session,
            "surgery": session.surgery,
            "form": form,
            "text": text,
            "include_waiting": include_waiting,
            # A new key for each preview: this one is sent at most once.
            "key": secrets.token_urlsafe(18),
            "people": people,
            "left_out": everyone - len(people),
            "preview": _preview(session, text, people) if people else None,
        }
        return render(request, "bookings/message_preview.html", ctx)
    ctx = {"session": session, "surgery": session.surgery, "form": form}
    return render(request, "bookings/message.html", ctx)


# --- Contacts and the sign-in sheet ------------------------------------------------------

CONTACT_COLUMNS = [
    _("Name"),
    _("Email address"),
    _("Phone number"),
    _("Group"),
    _("Coming for"),
    _("Place"),
]


def _cell(value: str) -> str:
    # A spreadsheet runs a cell starting with one of these as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def session_contacts(request: HttpRequest, session_id: int) -> HttpResponse:
    """Who agreed to be contacted about this session, for a spreadsheet. Nobody else."""
    session = session_for_organiser(request, session_id)
    people = services.session_contacts(session=session, actor=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{session.surgery.slug}-{session.date.isoformat()}-contacts.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([str(c) for c in CONTACT_COLUMNS])
    for b in people:
        row = [
            b.name,
            b.email,
            b.phone,
            b.organisation.name if b.organisation else "",
            str(b.get_role_display()),
            str(b.get_status_display()),
        ]
        writer.writerow([_cell(value) for value in row])
    return response


def sign_in_sheet(request: HttpRequest, session_id: int) -> HttpResponse:
    """A page to print: everyone with a place, their group, and a box to tick."""
    session = session_for_organiser(request, session_id)
    people = (
        session.bookings.filter(status__in=TAKES_A_PLACE)
        .select_related("organisation")
        .order_by("role", Lower("name"), "id")
    )
    ctx = {
        "session": session,
        "surgery": session.surgery,
        "help": [b for b in people if b.role == Booking.Role.HELP],
        "surgeons": [b for b in people if b.role == Booking.Role.SURGEON],
    }
    return render(request, "bookings/sign_in_sheet.html", ctx)


# --- Adding, changing and moving bookings ---------------------------------------------------


def booking_add(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    if not session.is_open:
        messages.info(request, _("This session is over or cancelled, so nobody can book it."))
        return _back(session)
    form = PhoneBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_add(
                session=session, details=form.details(), actor=request.user
            )
        except services.AlreadyBooked as already:
            form.add_error(
                "email",
                _("Someone with this email address is already booked: %(name)s.")
                % {"name": already.booking.name},
            )
        else:
            if booking.status == Booking.Status.WAITING:
                text = _(
                    "The session is full, so %(name)s is on the waiting list, number %(n)s."
                ) % {"name": booking.name, "n": booking.waiting_number()}
            else:
                text = _("%(name)s is booked in.") % {"name": booking.name}
            messages.success(request, text)
            return _back(session)
    ctx = {"session": session, "surgery": session.surgery, "form": form}
    return render(request, "bookings/booking_add.html", ctx)


def booking_edit(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    booking = _booking_in(session, booking_id)
    if booking.status not in (*services.ACTIVE, Booking.Status.ATTENDED):
        messages.info(request, _("This booking is cancelled, so there is nothing to change."))
        return _back(session)
    initial = {
        "name": booking.name,
        "phone": booking.phone,
        "organisation": booking.organisation.name if booking.organisation else "",
        "goal": booking.goal,
        "web_use": booking.web_use,
        "topics": list(booking.topics.all()),
        "access_needs": booking.access_needs,
    }
    form = OrganiserBookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.booking_update(
            booking=booking,
            details=form.details(email=booking.email),
            actor=request.user,
            by_organiser=True,
        )
        messages.success(request, _("%(name)s's booking is updated.") % {"name": booking.name})
        return _back(session)
    ctx = {"session": session, "surgery": session.surgery, "booking": booking, "form": form}
    return render(request, "bookings/booking_edit.html", ctx)


def _other_sessions(session: Session) -> list[Session]:
    upcoming = (
        Session.objects.with_counts()
        .filter(surgery_id=session.surgery_id, cancelled_at__isnull=True)
        .filter(date__gte=timezone.localdate())
        .exclude(pk=session.pk)
        .select_related("surgery")
        .order_by("date", "start_time")
    )
    return [s for s in upcoming[:24] if s.is_open][:12]


def booking_move(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    booking = _booking_in(session, booking_id)
    if not booking.is_active:
        messages.info(request, _("Only a booking still to come can be moved."))
        return _back(session)
    sessions = _other_sessions(session)
    form = MoveBookingForm(request.POST or None, sessions=sessions, role=booking.role)
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["to"]
        try:
            moved = services.booking_move(booking=booking, to=to, actor=request.user)
        except services.CannotMove:
            messages.error(request, _("That booking or session changed meanwhile: nothing moved."))
            return _back(session)
        when = date_format(to.date, "j F")
        if moved.status == Booking.Status.WAITING:
            text = _(
                "%(name)s is moved to %(when)s. It is full, so they are on its waiting list, "
                "number %(n)s."
            ) % {"name": moved.name, "when": when, "n": moved.waiting_number()}
        else:
            text = _("%(name)s is moved to %(when)s and has a place.") % {
                "name": moved.name,
                "when": when,
            }
        messages.success(request, text)
        return _back(session)
    ctx = {
        "session": session,
        "surgery": session.surgery,
        "booking": booking,
        "form": form,
        "sessions": sessions,
    }
    return render(request, "bookings/booking_move.html", ctx)


@require_POST
def booking_offer(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    booking = _booking_in(session, booking_id)
    if services.booking_offer_place(booking=booking, actor=request.user):
        messages.success(request, _("%(name)s now has a place.") % {"name": booking.name})
    else:
        messages.info(request, _("There is no free place just now, so nothing changed."))
    return _back(session)


@require_POST
def booking_introductions(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    """ "Happy to be introduced to the others here": asked at check-in, ticked on their word."""
    session = session_for_organiser(request, session_id)
    booking = _booking_in(session, booking_id)
    if not session.for_kinds:
        raise Http404
    agreed = request.POST.get("agreed") == "yes"
    services.booking_introductions_set(booking=booking, agreed=agreed, actor=request.user)
    if agreed:
        messages.success(request, _("%(name)s is happy to be introduced.") % {"name": booking.name})
    else:
        messages.success(request, _("%(name)s will not be introduced.") % {"name": booking.name})
    if request.POST.get("back") == "console":
        return redirect("session_console", session.pk)
    return _back(session)


@require_POST
def booking_bounce_clear(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    """The organiser says this person's address works now: email them again."""
    session = session_for_organiser(request, session_id)
    booking = _booking_in(session, booking_id)
    bounces.clear(email=booking.email, actor=request.user, surgery_id=session.surgery_id)
    messages.success(request, _("Emails to %(name)s will be sent again.") % {"name": booking.name})
    return _back(session)
