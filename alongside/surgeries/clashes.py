"""Clash warnings: sessions of nearby surgeries on the same day, or the day before or after.

Two surgeries a few miles apart meeting on consecutive evenings compete for the same
volunteers. Organisers are warned, never stopped: they may have good reasons.
"""

from __future__ import annotations

import datetime as dt

from alongside.lib import geo
from alongside.surgeries.models import Session, Surgery, Venue

# The same day, and one day either side.
WINDOW = dt.timedelta(days=1)


def _position(surgery: Surgery, venue: Venue | None) -> tuple[float, float] | None:
    for place in (venue, surgery):
        if place is not None and place.latitude is not None and place.longitude is not None:
            return place.latitude, place.longitude
    return None


def clashes_for(
    surgery: Surgery,
    date: dt.date,
    exclude_session: Session | None = None,
    *,
    venue: Venue | None = None,
) -> list[Session]:
    """Sessions of other public surgeries within `surgery.clash_miles`, a day either side.

    Each session is placed at its venue when the venue has a position, else at its
    surgery; ours at `venue` (the one being planned), else at the surgery. Areas play no
    part: a boundary between two boroughs does not keep volunteers apart. Nearest first.
    """
    here = _position(surgery, venue)
    if here is None:
        return []
    nearby = (
        Session.objects.public()
        .filter(date__range=(date - WINDOW, date + WINDOW), cancelled_at__isnull=True)
        .exclude(surgery=surgery)
        .select_related("surgery", "venue")
    )
    if exclude_session is not None and exclude_session.pk:
        nearby = nearby.exclude(pk=exclude_session.pk)
    found = []
    for session in nearby:
        there = _position(session.surgery, session.venue)
        if there is None:
            continue
        session.distance = geo.distance_miles(*here, *there)
        if session.distance <= surgery.clash_miles:
            found.append(session)
    found.sort(key=lambda s: (s.distance, s.date, s.start_time))
    return found


def planned_venue(data: dict) -> Venue | None:
    """The venue a session form names: a saved one, or a new one placed by its postcode."""
    if data.get("venue") is not None:
        return data["venue"]
    position = geo.postcode_position(data.get("new_venue_postcode") or "")
    if position is None:
        return None
    return Venue(latitude=position[0], longitude=position[1])
