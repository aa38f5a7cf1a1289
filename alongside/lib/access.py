"""Who may see and change what. Every organiser view starts with one of these helpers."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from alongside.bookings.models import Booking
from alongside.surgeries.models import Area, Organisation, Session, Surgery


def is_network_admin(user) -> bool:
    """Network admins (brokers) are staff users: they approve surgeries and see everything."""
    return user.is_authenticated and user.is_active and user.is_staff


def require_network_admin(request: HttpRequest) -> None:
    if not is_network_admin(request.user):
        raise PermissionDenied


def _require_organiser(request: HttpRequest, surgery_id: int) -> None:
    # Anonymous visitors get the same 403 as other organisers; the 403 page offers sign-in.
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.organised_surgeries.filter(pk=surgery_id).exists():
        raise PermissionDenied


def surgery_for_organiser(request: HttpRequest, slug: str) -> Surgery:
    surgery = get_object_or_404(Surgery, slug=slug)
    _require_organiser(request, surgery.pk)
    return surgery


def session_for_organiser(request: HttpRequest, session_id: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("surgery", "venue"), pk=session_id)
    _require_organiser(request, session.surgery_id)
    return session


# --- A group's history: its organisers, and surgeons holding a link --------------------------

ORGANISATION_SALT = "alongside.organisation"
# A surgeon's link to a group's history works for a month: long enough to read it before
# and after a session, short enough that an old email is not a key for ever.
ORGANISATION_LINK_DAYS = 30


def organisation_token(organisation: Organisation, surgeon_booking: Booking) -> str:
    signer = signing.TimestampSigner(salt=ORGANISATION_SALT)
    return signer.sign_object({"o": organisation.pk, "s": surgeon_booking.pk})


def _key_opens(key: str, organisation: Organisation) -> bool:
    signer = signing.TimestampSigner(salt=ORGANISATION_SALT)
    try:
        data = signer.unsign_object(key, max_age=ORGANISATION_LINK_DAYS * 24 * 3600)
        organisation_id, surgeon_id = int(data["o"]), int(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False
    # The surgeon's booking must still exist: erasing someone's details ends their links.
    return (
        organisation_id == organisation.pk
        and Booking.objects.filter(pk=surgeon_id, role=Booking.Role.SURGEON).exists()
    )


def organisation_for_viewer(request: HttpRequest, organisation_id: int) -> Organisation:
    """Organisers of any surgery the group booked at, or a surgeon with a signed `?key=`."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    key = request.GET.get("key", "")
    if key and _key_opens(key, organisation):
        return organisation
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    booked_here = user.organised_surgeries.filter(sessions__bookings__organisation=organisation)
    if not booked_here.exists():
        raise PermissionDenied
    return organisation


def area_for_organiser(request: HttpRequest, slug: str) -> Area:
    """Organisers of any surgery in the area, or in an area below it."""
    area = get_object_or_404(Area, slug=slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.organised_surgeries.filter(pk__in=area.surgeries_within()).exists():
        raise PermissionDenied
    return area
