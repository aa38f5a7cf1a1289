"""Coordinators: who may see an area's surgeries, counts and figures (never names)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest

from alongside.lib.prepared import Prepared
from alongside.network.models import Coordinator
from alongside.surgeries.access import areas_within, is_network_admin
from alongside.surgeries.models import Area


def coordinated_area_ids(user) -> set[int]:
    """The areas a person coordinates, with every area inside them (empty for most people)."""
    if not user.is_authenticated:
        return set()
    roots = set(Coordinator.objects.filter(user=user).values_list("area_id", flat=True))
    return areas_within(roots) if roots else set()


# Up from the area through its parents, then whether the person coordinates any of them.
# UNION, not UNION ALL, so a loop of parents ends.
_COORDINATES = """
    WITH RECURSIVE above(id, parent_id) AS (
        SELECT id, parent_id FROM {areas} WHERE id = %s
        UNION
        SELECT a.id, a.parent_id FROM {areas} a JOIN above ON a.id = above.parent_id
    )
    SELECT 1 FROM {coordinators} WHERE user_id = %s AND area_id IN (SELECT id FROM above)
    LIMIT 1
"""


def is_coordinator(user, area: Area) -> bool:
    """Coordinates this area, or an area it is inside.

    One query up the area's few parents, not two reading every area and the person's
    coordinators: every coordinator's page asks this first (1.5 → 0.2 ms on the large
    tier).
    """
    if not user.is_authenticated:
        return False
    sql = _COORDINATES.format(areas=Area._meta.db_table, coordinators=Coordinator._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [area.pk, user.pk])
        return cursor.fetchone() is not None


# The area named in the address, prepared (lib/prepared.py): every coordinator's page reads
# it first, and Django took longer to build the query than the database to answer it.
_area = Prepared(lambda slug: Area.objects.filter(slug=slug))


def _area_named(slug: str) -> Area:
    area = _area.first(slug=slug)
    if area is None:
        raise Http404
    return area


def area_for_coordinator(request: HttpRequest, slug: str) -> Area:
    """Coordinators of the area or of an area above it, and network admins.

    Coordinators see surgeries, sessions with counts of places, and figures: never who
    booked. Views behind this helper must show nothing about one person.
    """
    area = _area_named(slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not (is_network_admin(request) or is_coordinator(user, area)):
        raise PermissionDenied
    return area


def area_for_figures(request: HttpRequest, slug: str) -> Area:
    """The area's anonymised downloads: its organisers, its coordinators and network admins."""
    area = _area_named(slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if is_network_admin(request) or is_coordinator(user, area):
        return area
    if not user.organised_surgeries.filter(pk__in=area.surgeries_within()).exists():
        raise PermissionDenied
    return area
