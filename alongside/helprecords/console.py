"""The organiser's session console: check-in, walk-ins and the pairing board, from a phone.

Every action is a plain form POST that works without JavaScript. With htmx, the board
refreshes itself every few seconds and actions swap in the new board, so two organisers on
two phones see the same thing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alongside.bookings.models import Booking
from alongside.helprecords import services
from alongside.helprecords.forms import WalkInForm
from alongside.surgeries.access import session_for_organiser
from alongside.surgeries.models import Session


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page(request: HttpRequest, session: Session, walk_in_form=None) -> HttpResponse:
    bookings = list(
        session.bookings.filter(status__in=services.HERE + (Booking.Status.NO_SHOW,))
        .select_related("organisation")
        .order_by("role", "name")
    )
    ctx = {
        "session": session,
        "board": services.board(session),
        "arrivals": [b for b in bookings if b.role == Booking.Role.HELP],
        "surgeon_arrivals": [b for b in bookings if b.role == Booking.Role.SURGEON],
        "not_arrived": sum(
            1 for b in bookings if b.status == Booking.Status.BOOKED and not b.checked_in_at
        ),
        "walk_in_form": walk_in_form or WalkInForm(),
        "unrecorded": session.pairings.filter(
            ended_at__isnull=False, help_record__isnull=True
        ).select_related("person", "surgeon"),
    }
    template = "helprecords/console.html#board" if _is_htmx(request) else "helprecords/console.html"
    return render(request, template, ctx)


def _done(request: HttpRequest, session: Session, message: str = "") -> HttpResponse:
    if _is_htmx(request):
        return _page(request, session)
    if message:
        messages.success(request, message)
    return redirect("session_console", session.pk)


def console(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    return _page(request, session)


@require_POST
def check_in(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    booking = get_object_or_404(session.bookings, pk=booking_id)
    services.check_in(booking=booking, actor=request.user)
    return _done(request, session, _("%(name)s is here.") % {"name": booking.name})


@require_POST
def walk_in(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        return _page(request, session, walk_in_form=form)
    data = form.cleaned_data
    booking = services.walk_in_add(
        session=session,
        role=data["role"],
        name=data["name"],
        email=data["email"],
        topics=data["topics"],
        actor=request.user,
    )
    messages.success(request, _("%(name)s is added and checked in.") % {"name": booking.name})
    return redirect("session_console", session.pk)


@require_POST
def pair(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    person = get_object_or_404(
        session.bookings, pk=request.POST.get("person") or 0, role=Booking.Role.HELP
    )
    surgeon = get_object_or_404(
        session.bookings, pk=request.POST.get("surgeon") or 0, role=Booking.Role.SURGEON
    )
    try:
        services.pairing_start(session=session, person=person, surgeon=surgeon, actor=request.user)
    except services.PairingUnavailable:
        messages.warning(request, _("One of them was paired a moment ago. Here is the latest."))
        return _done(request, session)
    message = _("%(surgeon)s is with %(person)s.") % {
        "surgeon": surgeon.name,
        "person": person.name,
    }
    return _done(request, session, message)


@require_POST
def end_pairing(request: HttpRequest, session_id: int, pairing_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    pairing = get_object_or_404(session.pairings.select_related("surgeon"), pk=pairing_id)
    services.pairing_end(pairing=pairing, actor=request.user)
    return _done(
        request, session, _("Done. %(name)s is free again.") % {"name": pairing.surgeon.name}
    )


@require_POST
def no_shows(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    count = services.mark_no_shows(session=session, actor=request.user)
    message = ngettext(
        "%(count)s person marked as did not come.",
        "%(count)s people marked as did not come.",
        count,
    )
    messages.success(request, message % {"count": count})
    return redirect("session_console", session.pk)
