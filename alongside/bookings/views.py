from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.bookings import services
from alongside.bookings.forms import (
    BookingForm,
    ChangeBookingForm,
    DeclineForm,
    GotDoneForm,
    SurgeonOfferForm,
)
from alongside.bookings.models import Booking, topics_at
from alongside.guidance import links as guidance_links
from alongside.lib import antispam, language, reads, tokens
from alongside.lib.pagecache import SESSION, visitor_page
from alongside.lib.prepared import Prepared
from alongside.outbox import bounces
from alongside.surgeries.access import session_for_organiser
from alongside.surgeries.models import TAKES_A_PLACE, Session, SessionQuerySet

# Who is coming: everyone booked at a session, in the order they booked (WAITING_ORDER), each
# with whether mail to them bounces, and the help recorded there (lib/prepared.py). Records
# are reached through the session's relation, by its name: the app that records help is
# built on this one.
_booked = Prepared(
    lambda session_id: (
        Booking.objects.filter(session_id=session_id)
        .select_related("organisation")
        .annotate(bounces=bounces.bouncing("email"))
    )
)
_recorded = Prepared(
    lambda session_id: Session(pk=session_id).help_records.prefetch_related("topics", "links")
)

# People who book often can keep their details on their own device, if they ask to.
REMEMBER_COOKIE = "alongside_details"


def _bookable(session_id: int) -> SessionQuerySet:
    # Nobody books at a surgery still waiting for approval, or one that has closed. One for
    # an organisation's members is bookable too: _book lets only its members in.
    return Session.objects.filter(
        pk=session_id, surgery__approved_at__isnull=False, surgery__closed_at__isnull=True
    ).select_related("surgery", "surgery__members_of")


# The booking form's session, with its places and venue for the page, or without for the
# booking itself (lib/prepared.py).
_to_show = Prepared(lambda session_id: _bookable(session_id).with_counts().select_related("venue"))
_to_book = Prepared(_bookable)


def _open_session(session_id: int, *, counts: bool = True) -> Session:
    session = (_to_show if counts else _to_book).first(session_id=session_id)
    if session is None:
        raise Http404("No such session.")
    if not session.is_open:
        raise Http404("This session has finished or is cancelled.")
    return session


def _booking_from_token(request: HttpRequest, token: str) -> Booking:
    """The booking an emailed link is for; its pages speak the language it was made in."""
    pk = Booking.pk_from_token(token)
    if pk is None:
        raise Http404("No such booking.")
    booking = get_object_or_404(
        Booking.objects.select_related("session__surgery", "session__venue", "organisation"),
        pk=pk,
    )
    language.speak(request, booking.language)
    return booking


def _remembered(request: HttpRequest) -> dict:
    details = tokens.unsign(tokens.REMEMBER, request.COOKIES.get(REMEMBER_COOKIE, ""))
    return details if isinstance(details, dict) else {}


def _remember(response: HttpResponse, form) -> None:
    data = form.cleaned_data
    if not data.get("remember"):
        return
    details = {"name": data["name"], "email": data["email"]}
    if data.get("organisation"):
        details["organisation"] = data["organisation"]
    assert tokens.REMEMBER.max_age is not None
    response.set_cookie(
        REMEMBER_COOKIE,
        tokens.sign(tokens.REMEMBER, details),
        max_age=int(tokens.REMEMBER.max_age.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _book(request: HttpRequest, session_id: int, role: str, form_class, template: str):
    # A booking counts the places again under the session's lock: counting them here too
    # cost a fifth of its time.
    session = _open_session(session_id, counts=request.method != "POST")
    language.speak(request, session.surgery.languages)
    if role == Booking.Role.SURGEON and session.surgery.is_event_host:
        raise Http404("A campaign chapter's event asks for no surgeons.")
    member = services.is_member(session, request.user)
    if session.surgery.is_members_only and not member:
        return _members_only(request, session)
    remembered = _remembered(request)
    initial = {**remembered, "remember": bool(remembered)}
    if member and session.surgery.members_of and request.user.is_authenticated:
        # The address the organisation knows them by, and the organisation, filled in.
        initial.setdefault("email", request.user.email)
        initial.setdefault("organisation", session.surgery.members_of.name)
    form = form_class(
        request.POST or None,
        surgery=session.surgery,
        initial=initial,
        visitor=antispam.visitor(request),
    )
    action = "booking" if role == Booking.Role.HELP else "help_out"
    if (
        request.method == "POST"
        and form.is_valid()
        and antispam.allow(request, form, action=action, email=form.cleaned_data["email"])
    ):
        try:
            booking = services.booking_create(
                session=session, role=role, details=form.details(), user=request.user
            )
        except services.MembersOnly:  # left the organisation while the form was open
            return _members_only(request, session)
        except services.AlreadyBooked as already:
            # The page names no address and shows no link: whoever typed it may not own it.
            already_ctx = {"session": session, "booking": already.booking}
            return render(request, "bookings/already.html", already_ctx)
        response = redirect(booking.get_absolute_url())
        _remember(response, form)
        if not form.cleaned_data.get("remember") and remembered:
            response.delete_cookie(REMEMBER_COOKIE)
        return response
    if request.method == "POST":
        session = _open_session(session_id)  # sent back with errors: the page shows the places
    ctx = {
        "form": form,
        "session": session,
        "remembered": bool(remembered),
        # At a surgery for both, a member may take the places kept for members too.
        "places_left": session.places_left_for(role, member=member),
        "as_member": member and session.kept_places_left > 0,
    }
    return render(request, template, ctx)


def _members_only(request: HttpRequest, session: Session) -> HttpResponse:
    """A clear page, not a bare 403: whose members it is for, and how to sign in as one.

    It names the organisation, never the surgery or the session: those are the members' own.
    """
    ctx = {"organisation": session.surgery.members_of}
    return render(request, "bookings/members_only.html", ctx, status=403)


@visitor_page(SESSION, forms=True)
def book(request: HttpRequest, session_id: int) -> HttpResponse:
    return _book(request, session_id, Booking.Role.HELP, BookingForm, "bookings/book.html")


@visitor_page(SESSION, forms=True)
def help_out(request: HttpRequest, session_id: int) -> HttpResponse:
    return _book(
        request, session_id, Booking.Role.SURGEON, SurgeonOfferForm, "bookings/help_out.html"
    )


@require_POST
def forget_me(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("next", "")
    # Back to the page the button was on: only a page of this site, never anywhere else.
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = redirect(back if safe else "home")
    response.delete_cookie(REMEMBER_COOKIE)
    messages.success(request, _("Your details are no longer remembered on this device."))
    return response


def booking(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_from_token(request, token)
    ctx: dict[str, object] = {
        "booking": booking,
        "session": booking.session,
        "waiting_number": booking.waiting_number(),
    }
    if booking.status != Booking.Status.DECLINED:
        ctx["sheets"] = guidance_links.for_booking(booking)
    return render(request, "bookings/booking.html", ctx)


def booking_change(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_from_token(request, token)
    if not booking.is_active or booking.is_surgeon:
        return redirect(booking.get_absolute_url())
    initial = {
        "name": booking.name,
        "organisation": booking.organisation.name if booking.organisation else "",
        "goal": booking.goal,
        "web_use": booking.web_use,
        "topics": list(booking.topics.all()),
        "access_needs": booking.access_needs,
        "consent_group_news": booking.consent_group_news,
        "consent_introductions": booking.consent_introductions,
    }
    form = ChangeBookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.booking_update(booking=booking, details=form.details(email=booking.email))
        messages.success(request, _("Your booking is updated."))
        return redirect(booking.get_absolute_url())
    ctx = {"form": form, "booking": booking, "session": booking.session}
    return render(request, "bookings/change.html", ctx)


@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_from_token(request, token)
    if request.method == "POST" and booking.can_cancel:
        services.booking_cancel(booking=booking, actor=request.user, by_person=True)
        messages.success(request, _("Your booking is cancelled. Thank you for letting us know."))
        return redirect(booking.get_absolute_url())
    ctx = {"booking": booking, "session": booking.session}
    return render(request, "bookings/cancel.html", ctx)


def booking_coming(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the reminder. Recording it twice, or by a link checker, does no harm."""
    booking = _booking_from_token(request, token)
    if booking.status == Booking.Status.BOOKED and booking.session.is_open:
        services.booking_confirm_coming(booking=booking)
    return render(request, "bookings/coming.html", {"booking": booking, "session": booking.session})


def booking_done(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_from_token(request, token)
    form = GotDoneForm(request.POST or None, initial={"got_done": booking.got_done})
    if request.method == "POST" and form.is_valid():
        services.booking_record_done(booking=booking, text=form.cleaned_data["got_done"])
        messages.success(request, _("Thank you for telling us. That's brilliant."))
        return redirect(booking.get_done_url())
    ctx = {"form": form, "booking": booking, "session": booking.session}
    return render(request, "bookings/done.html", ctx)


def booking_decline(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    booking = get_object_or_404(session.bookings, pk=booking_id, role=Booking.Role.HELP)
    if not booking.is_active:
        return redirect("session_bookings", session.pk)
    form = DeclineForm(request.POST or None, initial={"message": session.surgery.decline_message})
    if request.method == "POST" and form.is_valid():
        services.booking_decline(
            booking=booking, message=form.cleaned_data["message"], actor=request.user
        )
        messages.success(request, _("The booking is declined and your message is on its way."))
        return redirect("session_bookings", session.pk)
    ctx = {"form": form, "booking": booking, "session": session}
    return render(request, "bookings/decline.html", ctx)


def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    if request.method == "POST" and session.is_open:
        services.session_cancel(session=session, actor=request.user)
        messages.success(request, _("The session is cancelled and everyone booked is told."))
        return redirect("session_bookings", session.pk)
    people = session.bookings.filter(status__in=services.ACTIVE).count()
    return render(request, "bookings/session_cancel.html", {"session": session, "people": people})


def session_bookings(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    # Bookings come in WAITING_ORDER (the model's ordering), so each waiting list is in order.
    bookings = _booked.list(session_id=session.pk)
    topics = topics_at(session.pk)
    # Records name the people already read (lib/reads.py), rather than joining them again.
    records = _recorded.list(session_id=session.pk)
    reads.link(records, {b.pk: b for b in bookings}, "booking", "surgeon")
    reads.link([*bookings, *records], {session.pk: session}, "session")
    for b in bookings:
        b.topic_names = [name for _id, name in topics.get(b.pk, ())]  # type: ignore[attr-defined]
    waiting = [b for b in bookings if b.status == Booking.Status.WAITING]
    listed = [b for b in bookings if b.status != Booking.Status.WAITING]
    taken = Counter(b.role for b in bookings if b.status in TAKES_A_PLACE)
    free = {role: max(session.places_for(role) - taken[role], 0) for role in Booking.Role.values}
    ctx = {
        "session": session,
        "surgery": session.surgery,
        "help_bookings": [b for b in listed if b.role == Booking.Role.HELP],
        "surgeon_bookings": [b for b in listed if b.role == Booking.Role.SURGEON],
        "help_waiting": [b for b in waiting if b.role == Booking.Role.HELP],
        "surgeons_waiting": [b for b in waiting if b.role == Booking.Role.SURGEON],
        "help_free": free[Booking.Role.HELP],
        "surgeons_free": free[Booking.Role.SURGEON],
        "records": records,
    }
    return render(request, "surgeries/session_bookings.html", ctx)
