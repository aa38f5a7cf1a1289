"""Coordinators: who may see an area's surgeries, counts and figures (never names)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from alongside.network.models import Coordinator
from alongside.surgeries.access import areas_within, is_network_admin
from alongside.surgeries.models import Area


def coordinated_area_ids(user) -> set[int]:
    """The areas a person coordinates, with every area inside them (empty for most people)."""
    if not user.is_authenticated:
        return set()
    roots = set(Coordinator.objects.filter(user=user).values_list("area_id", flat=True))
    return areas_within(roots) if roots else set()


def is_coordinator(user, area: Area) -> bool:
    """Coordinates this area, or an area it is inside."""
    return area.pk in coordinated_area_ids(user)


def area_for_coordinator(request: HttpRequest, slug: str) -> Area:
    """Coordinators of the area or of an area above it, and network admins.

    Coordinators see surgeries, sessions with counts of places, and figures: never who
    booked. Views behind this helper must show nothing about one person.
    """
    area = get_object_or_404(Area, slug=slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not (is_network_admin(request) or is_coordinator(user, area)):
        raise PermissionDenied
    return area


def area_for_figures(request: HttpRequest, slug: str) -> Area:
    """The area's anonymised downloads: its organisers, its coordinators and network admins."""
    area = get_object_or_404(Area, slug=slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if is_network_admin(request) or is_coordinator(user, area):
        return area
    if not user.organised_surgeries.filter(pk__in=area.surgeries_within()).exists():
        raise PermissionDenied
    return area
