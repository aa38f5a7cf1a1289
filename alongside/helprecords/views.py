from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alongside.guidance import links as guidance_links
from alongside.helprecords import services
from alongside.helprecords.forms import HelpRecordForm, RecordFields
from alongside.helprecords.models import HelpRecord
from alongside.helprecords.organisations import organisation_link
from alongside.lib.access import session_for_organiser


def _record(form, *, booking, surgeon, pairing, actor) -> HelpRecord:
    data = form.cleaned_data
    return services.help_record_add(
        booking=booking,
        surgeon=surgeon,
        pairing=pairing,
        topics=data["topics"],
        note=data["note"],
        links=data["links"],
        minutes=data["minutes"],
        public=data["public"],
        actor=actor,
    )


def help_record_new(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    initial, pairing = {}, None
    if (wanted := request.GET.get("pairing", "")).isdigit():
        pairing = session.pairings.filter(pk=wanted, help_record__isnull=True).first()
    if pairing:
        initial = {
            "booking": pairing.person,
            "surgeon": pairing.surgeon,
            "topics": list(pairing.person.topics.all()),
            "minutes": pairing.minutes,
        }
    elif (wanted := request.GET.get("booking", "")).isdigit() and (
        booking := session.bookings.filter(pk=wanted).first()
    ):
        initial = {"booking": booking, "topics": list(booking.topics.all())}
    form = HelpRecordForm(request.POST or None, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if pairing and (data["booking"], data["surgeon"]) != (pairing.person, pairing.surgeon):
            pairing = None  # they recorded someone else after all
        _record(form, booking=data["booking"], surgeon=data["surgeon"], pairing=pairing,
                actor=request.user)  # fmt: skip
        messages.success(request, _("Recorded. Thank you: every person helped is a win."))
        if request.GET.get("from") == "console":
            return redirect("session_console", session.pk)
        return redirect("session_bookings", session.pk)
    ctx = {"form": form, "session": session, "pairing": pairing}
    ctx["sheets"] = guidance_links.for_topics_in(form)
    return render(request, "helprecords/help_record_form.html", ctx)


def pairing_record(request: HttpRequest, token: str) -> HttpResponse:
    """A surgeon records a pairing they were part of, from the link in their email."""
    pairing = services.pairing_from_token(token)
    if pairing is None:
        raise Http404("This link is not valid, or is more than 30 days old.")
    done = HelpRecord.objects.filter(pairing=pairing).first()
    initial = {"topics": list(pairing.person.topics.all()), "minutes": pairing.minutes}
    form = RecordFields(request.POST or None, initial=initial)
    if request.method == "POST" and done is None and form.is_valid():
        _record(form, booking=pairing.person, surgeon=pairing.surgeon, pairing=pairing, actor=None)
        return redirect(request.path)
    ctx = {"form": form, "pairing": pairing, "session": pairing.session, "done": done}
    if done:
        ctx["sheets"] = guidance_links.for_help_record(done)
    else:
        ctx["sheets"] = guidance_links.for_topics_in(form)
    if pairing.person.organisation:
        ctx["organisation_url"] = organisation_link(pairing.person.organisation, pairing.surgeon)
    return render(request, "helprecords/pairing_record.html", ctx)
