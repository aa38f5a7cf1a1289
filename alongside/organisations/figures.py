"""An organisation's own figures from its own surgeries: counted from the records of help.

The network's figures live in `impact`, a layer above; these read the same rows
(`helprecords.HelpRecord`, through `Session.help_records`) for one organisation's surgeries,
members-only ones included, since the organisation is the one looking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from alongside.helprecords.models import HelpRecord
from alongside.surgeries.models import Organisation, Session


@dataclass(frozen=True)
class OwnSurgeryFigures:
    sessions_held: int
    # Different bookings helped: one person helped at two sessions counts twice, as a
    # surgery's own report counts visits.
    people_helped: int
    # Of those, booked as members of the organisation.
    members_helped: int
    # The minutes surgeons recorded, in hours to one decimal place.
    help_hours: float


def own_surgery_figures(
    organisation: Organisation, start: dt.date, end: dt.date
) -> OwnSurgeryFigures:
    """Sessions held, people helped and hours of help at the organisation's own surgeries
    (members only, and for both), between `start` and `end` inclusive. Four queries."""
    sessions = Session.objects.filter(
        surgery__members_of=organisation, date__gte=start, date__lte=end
    ).held()
    records = HelpRecord.objects.filter(session__in=sessions.values("pk"))
    helped = records.values("booking").distinct()
    minutes = records.aggregate(total=Sum("minutes"))["total"] or 0
    return OwnSurgeryFigures(
        sessions_held=sessions.count(),
        people_helped=helped.count(),
        members_helped=helped.filter(booking__as_member=True).count(),
        help_hours=round(minutes / 60, 1),
    )
