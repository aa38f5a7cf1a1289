"""The organiser's session console: check-in, walk-ins and the pairing board, from a phone.

The people waiting and the surgeons free come first, then who is still to come, so an
arrival is checked in and paired without scrolling. Every action is a plain form POST that
works without JavaScript: it comes back to the board (`#now`), saying what was done with an
"Undo" beside it. With htmx, the board refreshes itself every few seconds and an action
swaps in the new board where it stands, putting focus on the next thing to press, so two
organisers on two phones see the same thing.

A refresh asks with the board it has (`?seen=`): when nothing on it could have changed, the
answer is an empty 204, which htmx leaves alone. On the day, most refreshes are that.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.bookings.models import Booking
from alongside.helprecords import services
from alongside.helprecords.forms import WalkInForm
from alongside.helprecords.models import ConsoleAction
from alongside.lib import pagecache
from alongside.surgeries.access import session_for_organiser
from alongside.surgeries.models import Session

# Where a full reload after an action lands: what was done, then the board.
ANCHOR = "now"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _seen(session: Session) -> str:
    """What the board shows, as a short stamp: its surgery's changes (the log has every
    booking, pairing and record of help, and what the board names them by), the minute (how
    long each person has waited, and when the console closes) and the language."""
    changes = pagecache.surgeries_stamp([session.surgery_id])
    minute = timezone.now().strftime("%Y-%m-%d %H:%M")
    about = f"{session.pk}|{changes}|{minute}|{get_language()}"
    return hashlib.blake2b(about.encode(), digest_size=8).hexdigest()


def _context(request: HttpRequest, session: Session, seen: str = "", **extra) -> dict:
    # Before the board is read: a change made while it is read moves the next stamp.
    seen = seen or _seen(session)
    board = services.board(session)
    last = extra.pop("last", None)
    if last is None and (wanted := request.GET.get("last", "")).isdigit():
        last = next((a for a in board.actions if a.pk == int(wanted)), None)
    return {
        "session": session,
        "board": board,
        "closed": services.closed_reason(session),
        "last": last if last is not None and last.actor_id == request.user.pk else None,
        "walk_in_form": WalkInForm(),
        "seen": seen,
        **extra,
    }


def _focus(board: services.Board, person_id: int | None = None) -> dict[str, object]:
    """The next thing to press once the board is swapped: the person just checked in's
    suggested surgeon, else the first suggestion, else the next arrival's check-in."""
    rows = board.waiting
    if person_id is not None:
        rows = [r for r in rows if r.person.pk == person_id] + rows
    for row in rows:
        if row.suggested:
            return {"focus_pair": row.person.pk}
    if board.expected:
        return {"focus_check_in": board.expected[0].pk}
    return {"focus_undo": True}


def _action(session: Session, **what) -> ConsoleAction | None:
    """The tap just made, for its "Undo"."""
    return session.console_actions.filter(undone_at__isnull=True, **what).order_by("-id").first()


def _back(
    request: HttpRequest,
    session: Session,
    said: str,
    *,
    action: ConsoleAction | None = None,
    level: int = messages.SUCCESS,
    person_id: int | None = None,
) -> HttpResponse:
    """The board again after an action: swapped in place (htmx), or reloaded at `#now`."""
    if _is_htmx(request):
        tag = messages.DEFAULT_TAGS[level]
        ctx = _context(request, session, said=said, said_tag=tag, last=action, oob=True)
        ctx.update(_focus(ctx["board"], person_id))
        if ctx["last"] is None:
            ctx.pop("focus_undo", None)
        return render(request, "helprecords/console.html#swap", ctx)
    messages.add_message(request, level, said)
    url = reverse("session_console", args=[session.pk])
    if action is not None:
        url += f"?last={action.pk}"
    return redirect(f"{url}#{ANCHOR}")


def console(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    if _is_htmx(request):  # the board refreshing itself
        seen = _seen(session)
        if request.GET.get("seen") == seen:
            return HttpResponse(status=204)  # nothing on it has changed
        ctx = _context(request, session, seen=seen, oob=True)
        return render(request, "helprecords/console.html#swap", ctx)
    return render(request, "helprecords/console.html", _context(request, session))


@require_POST
def check_in(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    booking = get_object_or_404(session.bookings, pk=booking_id)
    try:
        services.check_in(booking=booking, actor=request.user)
    except services.ConsoleClosed as e:
        return _back(request, session, e.reason, level=messages.WARNING)
    except services.OnWaitingList:
        said = _(
            "%(name)s is on the waiting list. If they are here and there is room, "
            "give them a place."
        ) % {"name": booking.name}
        return _back(request, session, said, level=messages.WARNING)
    said = _("%(name)s is here.") % {"name": booking.name}
    action = _action(session, booking=booking)
    return _back(request, session, said, action=action, person_id=booking.pk)


@require_POST
def give_place(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    booking = get_object_or_404(session.bookings, pk=booking_id)
    try:
        services.give_place(booking=booking, actor=request.user)
    except services.ConsoleClosed as e:
        return _back(request, session, e.reason, level=messages.WARNING)
    except services.NoRoom as e:
        said = ngettext(
            "There is no room: the %(count)s place is taken, so %(name)s stays on the "
            "waiting list. If you do have room, add places to the session first.",
            "There is no room: all %(count)s places are taken, so %(name)s stays on the "
            "waiting list. If you do have room, add places to the session first.",
            e.places,
        ) % {"count": e.places, "name": booking.name}
        return _back(request, session, said, level=messages.WARNING)
    said = _("%(name)s has a place and is checked in.") % {"name": booking.name}
    action = _action(session, booking=booking)
    return _back(request, session, said, action=action, person_id=booking.pk)


@require_POST
def walk_in(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        ctx = _context(request, session, walk_in_form=form)
        return render(request, "helprecords/console.html", ctx)
    data = form.cleaned_data
    try:
        booking = services.walk_in_add(
            session=session,
            role=data["role"],
            name=data["name"],
            email=data["email"],
            organisation_name=data["organisation"],
            topics=data["topics"],
            actor=request.user,
        )
    except services.ConsoleClosed as e:
        return _back(request, session, e.reason, level=messages.WARNING)
    said = _("%(name)s is added and checked in.") % {"name": booking.name}
    action = _action(session, booking=booking)
    return _back(request, session, said, action=action, person_id=booking.pk)


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
        pairing = services.pairing_start(
            session=session, person=person, surgeon=surgeon, actor=request.user
        )
    except services.PairingUnavailable:
        said = _("One of them was paired a moment ago. Here is the latest.")
        return _back(request, session, said, level=messages.WARNING)
    said = _("%(surgeon)s is with %(person)s.") % {"surgeon": surgeon.name, "person": person.name}
    return _back(request, session, said, action=_action(session, pairing=pairing))


@require_POST
def end_pairing(request: HttpRequest, session_id: int, pairing_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    pairing = get_object_or_404(session.pairings.select_related("surgeon"), pk=pairing_id)
    services.pairing_end(pairing=pairing, actor=request.user)
    said = _("Done. %(name)s is free again.") % {"name": pairing.surgeon.name}
    action = _action(session, pairing=pairing, kind=ConsoleAction.Kind.END)
    return _back(request, session, said, action=action)


@require_POST
def undo(request: HttpRequest, session_id: int, action_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    action = get_object_or_404(session.console_actions, pk=action_id)
    try:
        said = services.console_undo(action=action, actor=request.user)
    except services.CannotUndo as e:
        return _back(request, session, e.reason, level=messages.WARNING)
    return _back(request, session, _("Undone: %(what)s") % {"what": said})


@require_POST
def no_shows(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    try:
        count = services.mark_no_shows(session=session, actor=request.user)
    except services.ConsoleClosed as e:
        return _back(request, session, e.reason, level=messages.WARNING)
    message = ngettext(
        "%(count)s person marked as did not come.",
        "%(count)s people marked as did not come.",
        count,
    )
    return _back(request, session, message % {"count": count})
