"""Links for surgeons, who have no account: recording a pairing, a group's history, and the
six-week follow-up; and who else may see a group's history (its organisers)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord, Pairing
from alongside.lib import tokens
from alongside.surgeries.access import is_network_admin
from alongside.surgeries.models import Audience, Organisation, Surgery


def organisation_token(organisation: Organisation, surgeon_booking: Booking) -> str:
    return tokens.sign(tokens.ORGANISATION, {"o": organisation.pk, "s": surgeon_booking.pk})


def _key_surgery(key: str, organisation: Organisation) -> int | None:
    """The surgery of the surgeon whose key this is, if it opens this group's history."""
    try:
        data = tokens.unsign(tokens.ORGANISATION, key)
        organisation_id, surgeon_id = int(data["o"]), int(data["s"])
    except (KeyError, TypeError, ValueError):
        return None
    if organisation_id != organisation.pk:
        return None
    # The surgeon's booking must still exist: erasing someone's details ends their links.
    return (
        Booking.objects.filter(pk=surgeon_id, role=Booking.Role.SURGEON)
        .values_list("session__surgery_id", flat=True)
        .first()
    )


def organisation_for_viewer(
    request: HttpRequest, organisation_id: int
) -> tuple[Organisation, QuerySet[Surgery] | None]:
    """The group, and the surgeries whose visits and help the viewer may see (None: all).

    Organisers of a surgery the group booked at see its history at their own surgeries
    only: one booking typed with a group's name must not open what it did elsewhere. A
    surgeon with a signed `?key=` (from a pairing, to help the group on the day) sees it at
    every surgery but those for one organisation's members (unless the key is from one), which
    are nobody else's business; network admins see it all.
    """
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    key = request.GET.get("key", "")
    if key and (surgery_id := _key_surgery(key, organisation)) is not None:
        hidden = Q(audience=Audience.MEMBERS) & ~Q(pk=surgery_id)
        return organisation, Surgery.objects.exclude(hidden)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if is_network_admin(request):
        return organisation, None
    booked_here = user.organised_surgeries.filter(sessions__bookings__organisation=organisation)
    if not booked_here.exists():
        raise PermissionDenied
    # A subquery, not a list: the page's queries stay the same in number.
    return organisation, user.organised_surgeries.all()


# --- Signed links for surgeons, who have no account -----------------------------------------


def record_token(pairing: Pairing) -> str:
    return tokens.sign(tokens.RECORD, {"p": pairing.pk, "s": pairing.surgeon_id})


def pairing_from_token(token: str) -> Pairing | None:
    """The pairing a surgeon's link is for, if the link is genuine and not too old."""
    try:
        data = tokens.unsign(tokens.RECORD, token)
        pairing_id, surgeon_id = int(data["p"]), int(data["s"])
    except (KeyError, TypeError, ValueError):
        return None
    return (
        Pairing.objects.select_related("session__surgery", "person__organisation", "surgeon")
        .filter(pk=pairing_id, surgeon_id=surgeon_id)
        .first()
    )


def follow_up_token(record: HelpRecord) -> str:
    return tokens.sign(tokens.FOLLOW_UP, record.pk)


def record_from_follow_up_token(token: str) -> HelpRecord | None:
    try:
        pk = int(tokens.unsign(tokens.FOLLOW_UP, token))
    except (TypeError, ValueError):
        return None
    return (
        HelpRecord.objects.select_related("session__surgery", "booking", "surgeon")
        .filter(pk=pk)
        .first()
    )
