"""Who may see and change a surgery. Every organiser view starts with one of these helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from alongside.lib.prepared import Prepared
from alongside.lib.staff import staff_powers
from alongside.surgeries.models import Area, Organiser, Session, Surgery, Venue


# Every organiser's page reads its surgery or session, and whether the reader organises it,
# in one prepared query (lib/prepared.py): Django took 0.5 ms to build the two it was.
def _organised_by(user_id: int, surgery: str) -> Exists:
    return Exists(Organiser.objects.filter(surgery_id=OuterRef(surgery), user_id=user_id))


_organises = Prepared(
    lambda user_id, surgery_id: Organiser.objects.filter(
        user_id=user_id, surgery_id=surgery_id
    ).values_list("pk")[:1]
)
_surgery = Prepared(
    lambda slug, user_id: Surgery.objects.filter(slug=slug).annotate(
        read_by_organiser=_organised_by(user_id, "pk")
    )
)
_session = Prepared(
    lambda session_id, user_id: (
        Session.objects.select_related("surgery", "venue")
        .filter(pk=session_id)
        .annotate(read_by_organiser=_organised_by(user_id, "surgery_id"))
    )
)


def is_network_admin(request: HttpRequest) -> bool:
    """Network admins (brokers) are staff users: they approve surgeries and see everything.

    Only in a session that used the second factor: before that, staff are ordinary people
    (alongside.lib.staff).
    """
    return staff_powers(request)


def require_network_admin(request: HttpRequest) -> None:
    if not is_network_admin(request):
        raise PermissionDenied


def _require_organiser(
    request: HttpRequest, surgery_id: int, *, organises: bool | None = None
) -> None:
    """`organises`: whether the reader organises it, when already read with it."""
    # Anonymous visitors get the same 403 as other organisers; the 403 page offers sign-in.
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    # Network admins are let through: they are staff who can read every row in the Django
    # admin anyway, and they need these pages to help a stuck organiser, prepare a proposed
    # surgery before approving it, or look after one whose organisers have gone. Their
    # changes are audited under their own name. Coordinators are not let through: organiser
    # pages show people's names and emails, and coordinators see counts only.
    if is_network_admin(request):
        return
    if organises is None:
        organises = bool(_organises.list(user_id=user.pk, surgery_id=surgery_id))
    if not organises:
        raise PermissionDenied


def _reader_id(request: HttpRequest) -> int:
    return request.user.pk or 0  # no one organises for a visitor not signed in


def surgery_for_organiser(request: HttpRequest, slug: str) -> Surgery:
    surgery = _surgery.first(slug=slug, user_id=_reader_id(request))
    if surgery is None:
        raise Http404
    _require_organiser(request, surgery.pk, organises=surgery.read_by_organiser)
    return surgery


def session_for_organiser(request: HttpRequest, session_id: int) -> Session:
    session = _session.first(session_id=session_id, user_id=_reader_id(request))
    if session is None:
        raise Http404
    _require_organiser(request, session.surgery_id, organises=session.read_by_organiser)
    return session


def venue_for_organiser(request: HttpRequest, venue_id: int) -> Venue:
    venue = get_object_or_404(Venue.objects.select_related("surgery"), pk=venue_id)
    _require_organiser(request, venue.surgery_id)
    return venue


def area_for_organiser(request: HttpRequest, slug: str) -> Area:
    """Organisers of any surgery in the area, or in an area below it."""
    area = get_object_or_404(Area, slug=slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.organised_surgeries.filter(pk__in=area.surgeries_within()).exists():
        raise PermissionDenied
    return area


def areas_within(root_ids: set[int]) -> set[int]:
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


def can_see_surgery(request: HttpRequest, surgery: Surgery) -> bool:
    """A proposed surgery's pages are for its organisers and network admins until approved.

    A closed surgery keeps its page, saying it has closed, for anyone with an old link; lists,
    feeds and booking use Surgery.objects.public() and leave it out. A surgery for one
    organisation's members is only ever for them, its organisers and network admins: anyone
    else gets the same 404 as for a surgery that does not exist, so a guessed address says
    nothing. (Coordinators are not let in: the organisation is not theirs.)
    """
    if surgery.is_members_only:
        return (
            is_network_admin(request)
            or surgery.is_organiser(request.user)
            or surgery.is_for_member(request.user)
        )
    if surgery.approved_at is not None:
        return True
    return is_network_admin(request) or surgery.is_organiser(request.user)


def visible_surgery(request: HttpRequest, surgery: Surgery) -> Surgery:
    """The surgery, or a 404 for someone who may not see it yet."""
    if not can_see_surgery(request, surgery):
        raise Http404
    return surgery
