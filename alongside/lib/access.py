"""Who may see and change what. Every organiser view starts with one of these helpers."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
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
    # Network admins are let through: they are staff who can read every row in the Django
    # admin anyway, and they need these pages to help a stuck organiser, prepare a proposed
    # surgery before approving it, or look after one whose organisers have gone. Their
    # changes are audited under their own name. Coordinators are not let through: organiser
    # pages show people's names and emails, and coordinators see counts only.
    if is_network_admin(user):
        return
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
    if is_network_admin(user):
        return organisation
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


# --- Areas: coordinators, and who may see an area's figures ----------------------------------


def _areas_within(root_ids: set[int]) -> set[int]:
    """These areas and every area below them, at any depth, in one query."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), list(root_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def coordinated_area_ids(user) -> set[int]:
    """The areas a person coordinates, with every area inside them (empty for most people)."""
    from alongside.network.models import Coordinator

    if not user.is_authenticated:
        return set()
    roots = set(Coordinator.objects.filter(user=user).values_list("area_id", flat=True))
    return _areas_within(roots) if roots else set()


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
    if not (is_network_admin(user) or is_coordinator(user, area)):
        raise PermissionDenied
    return area


def area_for_figures(request: HttpRequest, slug: str) -> Area:
    """The area's anonymised downloads: its organisers, its coordinators and network admins."""
    area = get_object_or_404(Area, slug=slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if is_network_admin(user) or is_coordinator(user, area):
        return area
    if not user.organised_surgeries.filter(pk__in=area.surgeries_within()).exists():
        raise PermissionDenied
    return area


def can_see_surgery(user, surgery: Surgery) -> bool:
    """A proposed surgery's pages are for its organisers and network admins until approved.

    A closed surgery keeps its page, saying it has closed, for anyone with an old link; lists,
    feeds and booking use Surgery.objects.public() and leave it out.
    """
    if surgery.approved_at is not None:
        return True
    return is_network_admin(user) or surgery.is_organiser(user)


def visible_surgery(request: HttpRequest, surgery: Surgery) -> Surgery:
    """The surgery, or a 404 for someone who may not see it yet."""
    if not can_see_surgery(request.user, surgery):
        raise Http404
    return surgery


# --- Guidance sheets: anyone reads them; organisers and network admins write them ----------


def can_write_sheets(user) -> bool:
    """Network admins, and anyone organising a surgery that is approved and not closed."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_network_admin(user):
        return True
    return user.organised_surgeries.public().exists()


def require_sheet_writer(request: HttpRequest) -> None:
    if not can_write_sheets(request.user):
        raise PermissionDenied


def can_edit_sheet(user, sheet) -> bool:
    """Network admins edit any sheet; organisers edit the sheets they wrote."""
    if is_network_admin(user):
        return True
    return sheet.author_id is not None and sheet.author_id == user.pk and can_write_sheets(user)


def sheet_for_editor(request: HttpRequest, slug: str):
    from alongside.guidance.models import Sheet

    sheet = get_object_or_404(Sheet, slug=slug)
    if not can_edit_sheet(request.user, sheet):
        raise PermissionDenied
    return sheet


def sheet_for_reader(request: HttpRequest, slug: str):
    """A published sheet, for anyone. A draft is a 404 except to those who may edit it."""
    from alongside.guidance.models import Sheet

    sheet = get_object_or_404(Sheet.objects.prefetch_related("topics"), slug=slug)
    if not sheet.published and not can_edit_sheet(request.user, sheet):
        raise Http404
    return sheet
