from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.bookings.models import Booking
from alongside.guidance import links as guidance_links
from alongside.helprecords import access, outcomes, services
from alongside.helprecords.access import (
    organisation_for_viewer,
    organisation_token,
    record_from_follow_up_token,
)
from alongside.helprecords.forms import FollowUpForm, HelpRecordForm, RecordFields
from alongside.helprecords.models import FollowUp, HelpRecord
from alongside.surgeries.access import session_for_organiser
from alongside.surgeries.models import Organisation, Session


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


def help_record_edit(request: HttpRequest, session_id: int, record_id: int) -> HttpResponse:
    """An organiser puts a record right, for 30 days; after that it is shown, read-only."""
    session = session_for_organiser(request, session_id)
    record = get_object_or_404(
        session.help_records.select_related("booking", "surgeon"), pk=record_id
    )
    from_console = request.GET.get("from") == "console"
    back = "session_console" if from_console else "session_bookings"
    ctx: dict[str, object] = {"session": session, "record": record, "from_console": from_console}
    if not record.is_editable:
        ctx["links"] = [link.url for link in record.links.all()]
        return render(request, "helprecords/help_record_locked.html", ctx)
    initial = {
        "booking": record.booking,
        "surgeon": record.surgeon,
        "topics": list(record.topics.all()),
        "note": record.note,
        "links": "\n".join(link.url for link in record.links.all()),
        "minutes": record.minutes,
        "public": record.public,
    }
    form = HelpRecordForm(request.POST or None, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.help_record_update(
                record=record,
                booking=data["booking"],
                surgeon=data["surgeon"],
                topics=data["topics"],
                note=data["note"],
                links=data["links"],
                minutes=data["minutes"],
                public=data["public"],
                actor=request.user,
            )
        except services.RecordLocked:
            return redirect(request.get_full_path())
        messages.success(request, _("Saved: the record is changed."))
        return redirect(back, session.pk)
    ctx.update(form=form, sheets=guidance_links.for_topics_in(form))
    return render(request, "helprecords/help_record_form.html", ctx)


def pairing_record(request: HttpRequest, token: str) -> HttpResponse:
    """A surgeon records a pairing they were part of, from the link in their email."""
    pairing = access.pairing_from_token(token)
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


# --- A group's history across the network, so the next surgeon can build on what was done --------


# Booked for a session that has been held, or came: a visit. Waiting, cancelled, declined
# and no-shows were never at the table.
VISITED = (Booking.Status.BOOKED, Booking.Status.ATTENDED)


@dataclass
class Visit:
    session: Session
    people: list[Booking]


def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation, surgeries = organisation_for_viewer(request, organisation_id)
    bookings = (
        organisation.bookings.filter(
            role=Booking.Role.HELP,
            status__in=VISITED,
            session__date__lte=timezone.localdate(),
        )
        .select_related("session__surgery")
        .prefetch_related("topics")
        .order_by("-session__date", "-session__start_time", "session_id", "created_at", "id")
    )
    records = (
        HelpRecord.objects.filter(booking__organisation=organisation)
        .select_related("session__surgery", "booking", "surgeon", "follow_up")
        .prefetch_related("topics", "links")
        .order_by("-session__date", "-created_at", "-id")
    )
    if surgeries is not None:
        bookings = bookings.filter(session__surgery__in=surgeries)
        records = records.filter(session__surgery__in=surgeries)
    visits: list[Visit] = []
    for booking in bookings:
        if not visits or visits[-1].session.pk != booking.session_id:
            visits.append(Visit(session=booking.session, people=[]))
        visits[-1].people.append(booking)
    ctx = {"organisation": organisation, "visits": visits, "records": records}
    return render(request, "helprecords/organisation.html", ctx)


def organisation_link(organisation: Organisation, surgeon: Booking) -> str:
    """The group's page with a surgeon's key: surgeons have no account to sign in with."""
    key = urlencode({"key": organisation_token(organisation, surgeon)})
    return f"{reverse('organisation', args=[organisation.pk])}?{key}"


# --- The six-week follow-up, answered from the link in its email: no account needed --------------


def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    record = record_from_follow_up_token(token)
    if record is None:
        raise Http404("No such follow-up.")
    answered = FollowUp.objects.filter(help_record=record).first()
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and answered is None and form.is_valid():
        outcomes.follow_up_answer(record=record, **form.cleaned_data)
        return redirect(request.path)
    ctx = {"form": form, "record": record, "session": record.session, "answered": answered}
    if answered and answered.confidence_now >= outcomes.CONFIDENT:
        ctx["help_out_url"] = outcomes.help_out_path(record.session.surgery)
    return render(request, "helprecords/follow_up.html", ctx)
