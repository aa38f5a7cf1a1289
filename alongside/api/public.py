"""What anyone may read without a token: surgeries, sessions with places left, figures.

Each reads what the public pages read (the directory's search, the core's public()
querysets, the impact snapshots), so nothing members-only or unapproved is ever here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable

import ninja
import pydantic
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.renderers import JSONRenderer

from alongside.api import paging, places
from alongside.api.errors import ERROR_STATUSES, ApiError, ErrorOut
from alongside.api.places import open_sessions
from alongside.api.schemas import (
    FiguresOut,
    SessionPage,
    SurgeryDetailOut,
    SurgeryPage,
)
from alongside.impact.snapshots import BEING_COUNTED_MESSAGE, impact_for
from alongside.lib.markup import address
from alongside.lib.pagecache import kept_for_network
from alongside.lib.prepared import Counted, Prepared
from alongside.lib.site import absolute
from alongside.public.views import directory_search
from alongside.surgeries.forms import DirectoryForm
from alongside.surgeries.models import Session, SessionQuerySet, Surgery

router = Router(tags=["Public"])
ERRORS = {status: ErrorOut for status in ERROR_STATUSES}


def _shape(schema: type[Schema]) -> str:
    """A kept answer is the JSON its schema gave: a version with another schema, or another
    pydantic or ninja to write it with (a server not yet upgraded, or one rolled back),
    keeps its own."""
    described = json.dumps(schema.model_json_schema(), sort_keys=True)
    made_by = f"{pydantic.VERSION} {ninja.__version__} {described}"
    return hashlib.sha256(made_by.encode()).hexdigest()[:16]


SURGERIES_SHAPE = _shape(SurgeryPage)
SESSIONS_SHAPE = _shape(SessionPage)


# What NinjaAPI writes its answers with, as api/v1.py makes it: the default renderer.
_JSON = JSONRenderer()
JSON_TYPE = f"{_JSON.media_type}; charset={_JSON.charset}"


def _kept_answer(
    request: HttpRequest, name: str, shape: str, make: Callable[[], Schema]
) -> HttpResponse:
    """An answer the same for every caller, kept as a visitor's page is until the change log
    moves. Kept as the JSON ninja writes for it, and sent as it is: read back as an object
    of its schema, it took as long to write out again as the rest of the request."""

    def written() -> str:
        data = make().model_dump(context={"request": request, "response_status": 200})
        return _JSON.render(request, data, response_status=200)

    content = kept_for_network(name, [shape, request.build_absolute_uri()], written)
    return HttpResponse(content, content_type=JSON_TYPE)


def surgery_data(surgery: Surgery) -> dict:
    distance = getattr(surgery, "distance", None)
    return {
        "slug": surgery.slug,
        "name": surgery.name,
        "place": surgery.place_name,
        "url": absolute(surgery.get_absolute_url()),
        "latitude": getattr(surgery, "lat", None),
        "longitude": getattr(surgery, "lng", None),
        "distance_miles": None if distance is None else round(distance, 1),
        "next_session": surgery.next_date,
        "dormant": surgery.is_dormant,
    }


@router.get("/surgeries", response={200: SurgeryPage, **ERRORS}, auth=None)
def surgeries(
    request: HttpRequest,
    q: str = Query("", max_length=80, description="A town or postcode: nearest first."),
    topic: str = Query(
        "", max_length=80, description="A topic's slug: surgeries that help with it."
    ),
    when: str = Query("", description="week or month: with a session in the next 7 or 30 days."),
    online: bool = Query(False, description="Only surgeries with sessions online."),
    limit: int = paging.Limit,
    offset: int = paging.Offset,
):
    """Surgeries, found as the directory finds them."""
    form = DirectoryForm({"q": q, "topic": topic, "when": when, "online": online})
    if not form.is_valid():
        fields = [
            {"field": name, "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise ApiError(422, "invalid", "The search is not valid.", fields)

    def answer() -> SurgeryPage:
        found = directory_search(form.cleaned_data)
        result = paging.page(request, found, limit=limit, offset=offset)
        result["results"] = [surgery_data(surgery) for surgery in result["results"]]
        return SurgeryPage.model_validate(result)

    return _kept_answer(request, "api-surgeries-json", SURGERIES_SHAPE, answer)


def _public_surgery(slug: str) -> Surgery:
    return get_object_or_404(Surgery.objects.public().with_position().with_activity(), slug=slug)


@router.get("/surgeries/{slug}", response={200: SurgeryDetailOut, **ERRORS}, auth=None)
def surgery(request: HttpRequest, slug: str):
    surgery = _public_surgery(slug)
    return {**surgery_data(surgery), "description": surgery.description, "who_for": surgery.who_for}


def session_data(session: Session) -> dict:
    venue = session.venue
    return {
        "id": session.pk,
        "surgery": session.surgery.slug,
        "surgery_name": session.surgery.name,
        "title": session.title,
        "date": session.date,
        "start_time": session.start_time.strftime("%H:%M"),
        "end_time": session.end_time.strftime("%H:%M"),
        "time_zone": session.surgery.time_zone,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "venue": venue.name if venue else None,
        "address": venue.address if venue else None,
        "online": bool(session.online_url),
        "help_places_left": session.help_places_left,
        "surgeon_places_left": session.surgeon_places_left,
        "cancelled": session.is_cancelled,
        # address(): reverse() twice for each of a page's twenty took 0.2 ms more.
        "url": absolute(address("session", session.pk)),
        "book_url": absolute(address("book", session.pk)),
    }


def _with_places(
    today: dt.date, start: dt.date | None, end: dt.date | None, surgery: str | None = None
) -> SessionQuerySet:
    """Sessions to come, not cancelled, with a place left, in order: a surgery's or all."""
    found = open_sessions(today)
    if surgery is not None:
        found = found.filter(surgery__slug=surgery)
    if start:
        found = found.filter(date__gte=start)
    if end:
        found = found.filter(date__lte=end)
    return found


# Built once for each choice of dates (lib/prepared.py): with their nine subqueries, Django
# took longer to build the count and the page than the database took to answer them. The
# network's count is kept in each process (api/places.py).
_counted_at = Prepared(
    lambda today, start, end, surgery: (
        _with_places(today, start, end, surgery).order_by().values_list(Counted("pk"), flat=True)
    ),
    planned_once=False,
)
_chosen = Prepared(
    lambda today, start, end: _with_places(today, start, end).values_list("pk", flat=True),
    planned_once=False,
)
_chosen_at = Prepared(
    lambda today, start, end, surgery: _with_places(today, start, end, surgery).values_list(
        "pk", flat=True
    ),
    planned_once=False,
)
# The page's sessions with what they show, each one's places counted in the same query.
_shown = Prepared(
    lambda ids: (
        Session.objects.filter(pk__in=ids)
        .with_counts_each()
        .select_related("surgery", "venue")
        .order_by("date", "start_time", "pk")
    )
)


@router.get("/sessions", response={200: SessionPage, **ERRORS}, auth=None)
def sessions(
    request: HttpRequest,
    surgery: str = Query("", max_length=80, description="A surgery's slug."),
    date_from: str | None = paging.From,
    date_to: str | None = paging.To,
    limit: int = paging.Limit,
    offset: int = paging.Offset,
):
    """Sessions to come, not cancelled, with a place left for someone wanting help."""
    start, end = paging.dates(date_from, date_to)
    today = timezone.localdate()
    at = {"surgery": surgery} if surgery else {}

    def count() -> int:
        if not at:  # kept in this process, by surgery (api/places.py)
            return places.how_many(today=today, start=start, end=end)
        # One surgery's, counted and kept apart from the page, for the pages after it.
        counted = functools.partial(_counted_at.list, today=today, start=start, end=end, **at)
        return kept_for_network("api-sessions", [surgery, start, end], counted)[0]

    def answer() -> SessionPage:
        # The page's sessions are found first, then read with what they show: read at once,
        # each one before the offset was read in full and counted again (400 ms at 5,000).
        chosen = (_chosen_at if at else _chosen).page(
            offset=offset, limit=limit, today=today, start=start, end=end, **at
        )
        shown = _shown.list(ids=tuple(chosen))
        total = count()
        result = paging.page(request, [], limit=limit, offset=offset, count=total)
        result["results"] = [session_data(session) for session in shown]
        return SessionPage.model_validate(result)

    return _kept_answer(request, "api-sessions-json", SESSIONS_SHAPE, answer)


def figures_data(scope, about: dict, date_from: str | None, date_to: str | None) -> dict:
    """The numbers of the figures JSON (/impact.json and a surgery's), from the same snapshot."""
    start, end = paging.dates(date_from, date_to)
    about = {**about, "from": start, "to": end}
    impact = impact_for(scope, start, end)
    if impact.being_counted:
        return {**about, "being_counted": True, "message": str(BEING_COUNTED_MESSAGE)}
    return {
        **about,
        "being_counted": False,
        "counted_at": impact.computed_at,
        "figures": dataclasses.asdict(impact.figures),
    }


@router.get("/figures", response={200: FiguresOut, **ERRORS}, auth=None, by_alias=True)
def network_figures(
    request: HttpRequest, date_from: str | None = paging.From, date_to: str | None = paging.To
):
    """The whole network's figures, as on the impact page."""
    return figures_data(None, {"scope": "network"}, date_from, date_to)


@router.get(
    "/surgeries/{slug}/figures", response={200: FiguresOut, **ERRORS}, auth=None, by_alias=True
)
def surgery_figures(
    request: HttpRequest,
    slug: str,
    date_from: str | None = paging.From,
    date_to: str | None = paging.To,
):
    """One surgery's figures, as on its impact page."""
    surgery = get_object_or_404(Surgery.objects.approved(), slug=slug)
    about = {"scope": "surgery", "slug": surgery.slug, "name": surgery.name}
    return figures_data(surgery, about, date_from, date_to)
