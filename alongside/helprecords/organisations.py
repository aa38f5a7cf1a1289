"""A group's history across the network, so the next surgeon can build on what was done."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.lib.access import organisation_for_viewer, organisation_token
from alongside.surgeries.models import Organisation, Session

# Booked for a session that has been held, or came: a visit. Waiting, cancelled, declined
# and no-shows were never at the table.
VISITED = (Booking.Status.BOOKED, Booking.Status.ATTENDED)


@dataclass
class Visit:
    session: Session
    people: list[Booking]


def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_for_viewer(request, organisation_id)
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
    visits: list[Visit] = []
    for booking in bookings:
        if not visits or visits[-1].session.pk != booking.session_id:
            visits.append(Visit(session=booking.session, people=[]))
        visits[-1].people.append(booking)
    records = (
        HelpRecord.objects.filter(booking__organisation=organisation)
        .select_related("session__surgery", "booking", "surgeon", "follow_up")
        .prefetch_related("topics", "links")
        .order_by("-session__date", "-created_at", "-id")
    )
    ctx = {"organisation": organisation, "visits": visits, "records": records}
    return render(request, "helprecords/organisation.html", ctx)


def organisation_link(organisation: Organisation, surgeon: Booking) -> str:
    """The group's page with a surgeon's key: surgeons have no account to sign in with."""
    key = urlencode({"key": organisation_token(organisation, surgeon)})
    return f"{reverse('organisation', args=[organisation.pk])}?{key}"
