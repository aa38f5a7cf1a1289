"""Where interest is, and which public surgeries are near it."""

from __future__ import annotations

from alongside.lib import geo
from alongside.surgeries.models import Surgery

# "Near" on the thank-you page and for putting people in touch, unless a broker says otherwise.
NEARBY_MILES = 10


def positioned_surgeries() -> list[Surgery]:
    """Public surgeries we can place on a map, with their next session's date, in one query.

    A surgery listed without a postcode is placed at its first venue that has one, as the
    directory does.
    """
    surgeries = (
        Surgery.objects.public()
        .with_position()
        .filter(lat__isnull=False, lng__isnull=False)
        .with_activity()
        .order_by("name")
    )
    return list(surgeries)


def by_distance(lat: float, lng: float, surgeries: list[Surgery]) -> list[tuple[Surgery, float]]:
    """Each surgery with its distance in miles from the point, nearest first."""
    found = []
    for s in surgeries:
        assert s.lat is not None and s.lng is not None  # positioned_surgeries() has no others
        found.append((s, geo.distance_miles(lat, lng, s.lat, s.lng)))
    return sorted(found, key=lambda pair: (pair[1], pair[0].name))


def within(
    lat: float, lng: float, surgeries: list[Surgery], miles: float = NEARBY_MILES
) -> list[tuple[Surgery, float]]:
    return [(s, d) for s, d in by_distance(lat, lng, surgeries) if d <= miles]
