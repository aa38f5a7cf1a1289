"""A group's history: its organisers see it, and surgeons holding a signed link."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from alongside.bookings.models import Booking
from alongside.surgeries.access import is_network_admin
from alongside.surgeries.models import Organisation

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
    if is_network_admin(user):
        return organisation
    booked_here = user.organised_surgeries.filter(sessions__bookings__organisation=organisation)
    if not booked_here.exists():
        raise PermissionDenied
    return organisation
