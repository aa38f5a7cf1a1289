"""What a token may do, for the surgeries its owner organises: who is coming, booking and
cancelling, recording help, and the records of help.

Every write goes through the service the organiser's own form uses, so the rules (places,
the waiting list, who was there) are the same, and is audited under the token's owner."""

from __future__ import annotations

from itertools import islice

from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from alongside.api import paging
from alongside.api.errors import ERROR_STATUSES, ApiError, ErrorOut
from alongside.api.models import ApiToken
from alongside.api.schemas import (
    BookingIn,
    BookingMadeOut,
    BookingOut,
    BookingPage,
    HelpRecordIn,
    HelpRecordMadeOut,
    HelpRowPage,
)
from alongside.api.tokens import token_sessions, token_surgeries
from alongside.bookings import services as bookings
from alongside.bookings.forms import PhoneBookingForm
from alongside.bookings.models import Booking
from alongside.helprecords import services as helprecords
from alongside.helprecords.forms import HelpRecordForm
from alongside.helprecords.models import HelpRecord
from alongside.impact.figures import within
from alongside.impact.views import _help_rows
from alongside.surgeries.models import Session, Surgery, Topic

router = Router(tags=["For organisers (token)"])
ERRORS = {status: ErrorOut for status in ERROR_STATUSES}


def _token(request: HttpRequest) -> ApiToken:
    return request.auth  # type: ignore[attr-defined]


def _writer(request: HttpRequest) -> ApiToken:
    token = _token(request)
    if not token.may_write:
        raise ApiError(403, "read_only", "This token may only read. Make a read-write token.")
    return token


def _session(request: HttpRequest, session_id: int) -> Session:
    # Another organiser's session is as missing as one that does not exist.
    sessions = token_sessions(_token(request)).select_related("surgery", "venue")
    return get_object_or_404(sessions, pk=session_id)


def _surgery(request: HttpRequest, slug: str) -> Surgery:
    return get_object_or_404(token_surgeries(_token(request)), slug=slug)


def _form_errors(form) -> list[dict]:
    return [
        {"field": name, "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


def _topic_ids(slugs: list[str]) -> list[str]:
    found = dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        fields = [{"field": "topics", "message": f"No topic {slug!r}."} for slug in unknown]
        raise ApiError(422, "invalid", "Some topics are not known.", fields)
    return [str(found[slug]) for slug in slugs]


def booking_data(booking: Booking) -> dict:
    """What the organiser's "who is coming" page shows of one person: no address, no phone."""
    organisation = booking.organisation
    return {
        "id": booking.pk,
        "role": booking.role,
        "status": booking.status,
        "name": booking.name,
        "confirmed": booking.confirmed_at is not None,
        "organisation": (
            {"name": organisation.name, "kind": organisation.kind} if organisation else None
        ),
        "goal": booking.goal,
        "web_use": booking.web_use,
        "access_needs": booking.access_needs,
        "heard_about": booking.heard_about,
        "got_done": booking.got_done,
        "topics": [topic.slug for topic in booking.topics.all()],
    }


@router.get("/sessions/{session_id}/bookings", response={200: BookingPage, **ERRORS})
def session_bookings(
    request: HttpRequest, session_id: int, limit: int = paging.Limit, offset: int = paging.Offset
):
    """Who is coming: everyone booked, waiting or cancelled, in the page's order."""
    session = _session(request, session_id)
    found = session.bookings.select_related("organisation").prefetch_related("topics")
    result = paging.page(request, found, limit=limit, offset=offset, count=found.count())
    result["results"] = [booking_data(booking) for booking in result["results"]]
    return result


@router.post("/sessions/{session_id}/bookings", response={201: BookingMadeOut, **ERRORS})
def booking_create(request: HttpRequest, session_id: int, data: BookingIn):
    """Book someone in, as the organiser's "Add a booking" form does: a place if there is
    one, else a place on the waiting list (status "waiting")."""
    token = _writer(request)
    session = _session(request, session_id)
    if not session.is_open:
        raise ApiError(409, "session_closed", "This session is over or cancelled.")
    form_data = QueryDict(mutable=True)
    form_data.update(
        {
            key: value
            for key, value in data.dict().items()
            if key not in ("topics", "consent_contact")
        }
    )
    form_data.setlist("topics", _topic_ids(data.topics))
    if data.consent_contact:
        form_data["consent_contact"] = "on"
    form = PhoneBookingForm(form_data)
    if not form.is_valid():
        raise ApiError(422, "invalid", "Some of what was sent is not valid.", _form_errors(form))
    try:
        booking = bookings.booking_add(
            session=session, details=form.details(), actor=token.user, source="api"
        )
    except bookings.AlreadyBooked as already:
        message = f"Someone with this email address is already booked (id {already.booking.pk})."
        raise ApiError(409, "already_booked", message) from None
    return Status(201, {"id": booking.pk, "status": booking.status})


@router.post("/bookings/{booking_id}/cancel", response={200: BookingOut, **ERRORS})
def booking_cancel(request: HttpRequest, booking_id: int):
    """Cancel a place; the first person waiting is given it, as when they cancel themselves."""
    token = _writer(request)
    mine = Booking.objects.filter(session__in=token_sessions(token))
    booking = get_object_or_404(mine.select_related("session"), pk=booking_id)
    if booking.status not in (Booking.Status.BOOKED, Booking.Status.WAITING):
        raise ApiError(
            409, "not_active", f"This booking is {booking.status}, so it cannot be cancelled."
        )
    booking = bookings.booking_cancel(booking=booking, actor=token.user)
    booking = Booking.objects.select_related("organisation").get(pk=booking.pk)
    return booking_data(booking)


@router.post("/sessions/{session_id}/help-records", response={201: HelpRecordMadeOut, **ERRORS})
def help_record_create(request: HttpRequest, session_id: int, data: HelpRecordIn):
    """Record help given, as the record form does: the person and surgeon are bookings at
    this session, and both count as having come."""
    token = _writer(request)
    session = _session(request, session_id)
    form_data = QueryDict(mutable=True)
    form_data.update(
        {
            "booking": str(data.booking),
            "surgeon": "" if data.surgeon is None else str(data.surgeon),
            "note": data.note,
            "links": "\n".join(data.links),
            "minutes": "" if data.minutes is None else str(data.minutes),
        }
    )
    form_data.setlist("topics", _topic_ids(data.topics))
    if data.public:
        form_data["public"] = "on"
    form = HelpRecordForm(form_data, session=session)
    if not form.is_valid():
        raise ApiError(422, "invalid", "Some of what was sent is not valid.", _form_errors(form))
    fields = form.cleaned_data
    record = helprecords.help_record_add(
        booking=fields["booking"],
        surgeon=fields["surgeon"],
        topics=fields["topics"],
        note=fields["note"],
        links=fields["links"],
        minutes=fields["minutes"],
        public=fields["public"],
        actor=token.user,
    )
    return Status(201, {"id": record.pk})


@router.get("/surgeries/{slug}/help-records", response={200: HelpRowPage, **ERRORS})
def help_records(
    request: HttpRequest,
    slug: str,
    date_from: str | None = paging.From,
    date_to: str | None = paging.To,
    limit: int = paging.Limit,
    offset: int = paging.Offset,
):
    """The records of help, with the fields of the organisers' CSV download: nothing that
    says who anyone is (people are numbers)."""
    surgery = _surgery(request, slug)
    start, end = paging.dates(date_from, date_to)
    count = within(HelpRecord.objects.all(), surgery, start, end).count()
    # Rows are numbered in order, so the same person keeps one number across pages.
    rows = list(islice(_help_rows(surgery, start, end), offset, offset + limit))
    result = paging.page(request, [], limit=limit, offset=offset, count=count)
    result["results"] = [
        {
            "date": date,
            "surgery": name,
            "kind_of_group": kind,
            "person": person,
            "topics": [t for t in topics.split("; ") if t],
            "minutes": None if minutes == "" else minutes,
            "links": links,
            "public": public == "yes",
        }
        for date, name, kind, person, topics, minutes, links, public in rows
    ]
    return result
