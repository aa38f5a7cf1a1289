"""Lists come a page at a time: `limit` and `offset`, with the total and the next page's link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query

from alongside.api.errors import ApiError
from alongside.impact.forms import DateRangeForm

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many to return (1 to 100).")
Offset = Query(0, ge=0, le=1_000_000, description="How many to skip.")
From = Query(None, alias="from", description="First date, inclusive, as 2026-01-31.")
To = Query(None, alias="to", description="Last date, inclusive, as 2026-12-31.")


def dates(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """`from` and `to`, read as the figures pages read them (sensible dates, in order)."""
    form = DateRangeForm({"from": start or "", "to": end or ""})
    if not form.is_valid():
        fields = [
            {"field": name, "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise ApiError(422, "invalid", "The dates are not valid.", fields)
    return form.dates


def _link(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page(
    request: HttpRequest,
    rows: Sequence | QuerySet,
    *,
    limit: int,
    offset: int,
    count: int | None = None,
) -> dict:
    """One page of `rows` (a queryset is sliced in the database) with the total and links."""
    total = len(rows) if count is None else count
    results = list(rows[offset : offset + limit])
    return {
        "count": total,
        "next": _link(request, offset + limit) if offset + limit < total else None,
        "previous": _link(request, max(offset - limit, 0)) if offset > 0 else None,
        "results": results,
    }
