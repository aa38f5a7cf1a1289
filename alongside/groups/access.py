"""Who may change a group's profile, and who may add a group.

A group's profile is the group's own, so the people who may change it are those who speak
for it (its admins here, and its contacts: people who booked for it and agreed to hear
about things for it) and those who work with it (organisers of surgeries it came to or of
one in the area it was added to, the coordinators of its area, network admins). Everyone
else gets a 404: even that the page exists says the group is known here.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from alongside.accounts.people import addresses_of
from alongside.groups.contacts import contacts_of
from alongside.groups.models import Profile
from alongside.network.access import coordinated_area_ids
from alongside.organisations.models import Role
from alongside.surgeries.access import is_network_admin
from alongside.surgeries.models import Area, Organisation


def _organised_here(user, organisation: Organisation, profile: Profile | None) -> bool:
    # The same rule as the group's history for organisers (helprecords.access)...
    surgeries = user.organised_surgeries.all()
    if surgeries.filter(sessions__bookings__organisation=organisation).exists():
        return True
    # ...and a group added in their surgery's area: the organiser may have added it.
    approved = surgeries.filter(approved_at__isnull=False)
    return profile is not None and approved.filter(area=profile.area_id).exists()


def _coordinates(user, organisation: Organisation, profile: Profile | None) -> bool:
    areas = coordinated_area_ids(user)
    if not areas:
        return False
    if profile is not None and profile.area_id in areas:
        return True
    # Or the group came to a surgery in one of their areas.
    return organisation.bookings.filter(session__surgery__area__in=areas).exists()


def may_edit(request: HttpRequest, organisation: Organisation) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if is_network_admin(request):
        return True
    admins = organisation.memberships.filter(user=user, role=Role.ADMIN)
    if admins.exists():
        return True
    profile = Profile.objects.filter(organisation=organisation).first()
    if profile is not None and profile.area_id is None:
        profile = None
    if _organised_here(user, organisation, profile) or _coordinates(user, organisation, profile):
        return True
    addresses = addresses_of(user)
    return any(c.email in addresses for c in contacts_of(organisation))


def organisation_for_editor(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not may_edit(request, organisation):
        raise Http404("No such group.")
    return organisation


def may_add_groups(request: HttpRequest) -> bool:
    """Organisers, coordinators and network admins know groups worth adding."""
    user = request.user
    if not user.is_authenticated:
        return False
    if is_network_admin(request) or coordinated_area_ids(user):
        return True
    # A proposal waiting for approval is no surgery yet.
    return user.organised_surgeries.filter(approved_at__isnull=False).exists()


def require_may_add_groups(request: HttpRequest) -> None:
    if not may_add_groups(request):
        raise Http404("No such page.")


def area_for_new_group(user) -> Area | None:
    """The area a group someone adds belongs to: the one they coordinate, or their surgery's."""
    from_coordinating = Area.objects.filter(coordinators__user=user).order_by("pk").first()
    if from_coordinating is not None:
        return from_coordinating
    surgery = (
        user.organised_surgeries.filter(~Q(area=None)).select_related("area").order_by("pk").first()
    )
    return surgery.area if surgery is not None else None
