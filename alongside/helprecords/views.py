from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alongside.helprecords.forms import HelpRecordForm
from alongside.helprecords.services import help_record_add
from alongside.lib.access import session_for_organiser


def help_record_new(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    initial = {}
    if for_booking := request.GET.get("booking"):
        booking = session.bookings.filter(pk=for_booking).first() if for_booking.isdigit() else None
        if booking:
            initial = {"booking": booking, "topics": list(booking.topics.all())}
    form = HelpRecordForm(request.POST or None, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        help_record_add(
            booking=data["booking"],
            surgeon=data["surgeon"],
            topics=data["topics"],
            note=data["note"],
            links=data["links"],
            public=data["public"],
            actor=request.user,
        )
        messages.success(request, _("Recorded. Thank you: every person helped is a win."))
        return redirect("session_bookings", session.pk)
    return render(request, "helprecords/help_record_form.html", {"form": form, "session": session})
