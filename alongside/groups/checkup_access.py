"""Who may see what a look at a group's website found, and ask for another look.

The findings are about a public website, not a person, but they are the group's own to
read first: its admins in Alongside, the organisers and coordinators of the surgeries it
booked at (they help it), coordinators of its profile's area, and network admins.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from alongside.network.access import coordinated_area_ids
from alongside.surgeries.access import is_network_admin
from alongside.surgeries.models import Organisation, Surgery

# Membership.Role.ADMIN in alongside.organisations, read through the reverse relation.
ORG_ADMIN = "admin"


def may_see_checkup(request: HttpRequest, organisation: Organisation) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if is_network_admin(request):
        return True
    if organisation.memberships.filter(user=user, role=ORG_ADMIN).exists():
        return True
    booked_at = Surgery.objects.filter(sessions__bookings__organisation=organisation)
    if user.organised_surgeries.filter(pk__in=booked_at.values("pk")).exists():
        return True
    coordinated = coordinated_area_ids(user)
    if not coordinated:
        return False
    areas = set(booked_at.exclude(area=None).values_list("area_id", flat=True))
    profile_area = (
        Organisation.objects.filter(pk=organisation.pk)
        .exclude(profile__area=None)
        .values_list("profile__area_id", flat=True)
        .first()
    )
    if profile_area:
        areas.add(profile_area)
    return bool(areas & coordinated)


def group_for_checkup(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not may_see_checkup(request, organisation):
        raise PermissionDenied
    return organisation
