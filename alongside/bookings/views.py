from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.bookings import services
from alongside.bookings.forms import BookingForm, SurgeonOfferForm
from alongside.bookings.models import Booking
from alongside.surgeries.models import Session


def _open_session(session_id: int) -> Session:
    session = get_object_or_404(
        Session.objects.with_counts().select_related("surgery", "venue"), pk=session_id
    )
    if session.is_past:
        raise Http404("This session has finished.")
    return session


def _booking_from_token(token: str) -> Booking:
    pk = Booking.pk_from_token(token)
    if pk is None:
        raise Http404("No such booking.")
    return get_object_or_404(
        Booking.objects.select_related("session__surgery", "session__venue"), pk=pk
    )


def _book(request: HttpRequest, session_id: int, role: str, form_class, template: str):
    session = _open_session(session_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        booking = services.booking_create(
            session=session,
            role=role,
            name=data["name"],
            email=data["email"],
            organisation_name=data.get("organisation", ""),
            goal=data.get("goal", ""),
            topics=data["topics"],
            consent_contact=data["consent_contact"],
        )
        return redirect(booking.get_absolute_url())
    return render(request, template, {"form": form, "session": session})


def book(request: HttpRequest, session_id: int) -> HttpResponse:
    return _book(request, session_id, Booking.Role.HELP, BookingForm, "bookings/book.html")


def help_out(request: HttpRequest, session_id: int) -> HttpResponse:
    return _book(
        request, session_id, Booking.Role.SURGEON, SurgeonOfferForm, "bookings/help_out.html"
    )


def booking(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_from_token(token)
    return render(
        request, "bookings/booking.html", {"booking": booking, "session": booking.session}
    )


@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_from_token(token)
    if request.method == "POST" and booking.can_cancel:
        services.booking_cancel(booking=booking, actor=request.user)
        messages.success(request, _("Your booking is cancelled. Thank you for letting us know."))
        return redirect(booking.get_absolute_url())
    ctx = {"booking": booking, "session": booking.session}
    return render(request, "bookings/cancel.html", ctx)
