"""Which rows a figure counts: those at one surgery, some surgeries or the whole network,
on sessions between two dates. Impact's figures and local groups' figures scope alike."""

from __future__ import annotations

import datetime as dt

from django.db.models import Model, QuerySet

from alongside.surgeries.models import Session, Surgery

Scope = Surgery | QuerySet[Surgery] | list[int] | None


def within(
    rows: QuerySet,
    surgeries: Scope,
    start: dt.date | None,
    end: dt.date | None,
    via: str = "session__",
) -> QuerySet:
    """Rows at the given surgeries (one, a queryset, a list of ids, or all) on sessions in range."""
    if isinstance(surgeries, Model):
        rows = rows.filter(**{f"{via}surgery": surgeries})
    elif surgeries is not None:
        rows = rows.filter(**{f"{via}surgery__in": surgeries})
    elif via.endswith("session__"):
        # The whole network: a campaign chapter's fundraising night is not help given. Its
        # few sessions are left out by id: joining millions of bookings to their sessions
        # and surgeries only to look at the surgery's kind was half of some counts.
        events = Session.objects.filter(surgery__kind=Surgery.Kind.EVENT).values("pk")
        rows = rows.exclude(**{f"{via.removesuffix('__')}__in": events})
    else:
        rows = rows.exclude(**{f"{via}surgery__kind": Surgery.Kind.EVENT})
    if start is not None:
        rows = rows.filter(**{f"{via}date__gte": start})
    if end is not None:
        rows = rows.filter(**{f"{via}date__lte": end})
    return rows


def conditions(
    surgeries: Scope, start: dt.date | None, end: dt.date | None, via: str = "session__"
) -> dict:
    """`within`'s conditions as one filter's keywords, for rows reached through a relation
    that holds many: in one filter() they all apply to the same row there, where chained
    filters could each be met by a different one, and leaving out events takes no subquery.
    """
    if isinstance(surgeries, Model):
        found: dict = {f"{via}surgery": surgeries}
    elif surgeries is not None:
        found = {f"{via}surgery__in": surgeries}
    else:
        kinds = [kind for kind in Surgery.Kind.values if kind != Surgery.Kind.EVENT]
        found = {f"{via}surgery__kind__in": kinds}
    if start is not None:
        found[f"{via}date__gte"] = start
    if end is not None:
        found[f"{via}date__lte"] = end
    return found
