"""Who may open an organisation's pages: its members, its admins, and network admins.

An organisation with no such address is a 404; anyone else, signed in or not, gets a 403.
Network admins pass, as they pass the organiser helpers, to set a space up or help a stuck
one; what they do is audited under their own name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from alongside.lib.staff import staff_powers
from alongside.organisations.models import Membership, MentorPairing, Report, is_report_reader
from alongside.surgeries.models import Organisation


@dataclass(frozen=True)
class Place:
    """An organisation as the person asking sees it: their membership, if they have one."""

    organisation: Organisation
    membership: Membership | None
    network_admin: bool

    @property
    def is_admin(self) -> bool:
        """May run the space: invite, change roles and teams, open rounds."""
        return self.network_admin or (self.membership is not None and self.membership.is_admin)


def organisation_for_member(request: HttpRequest, slug: str) -> Place:
    organisation = get_object_or_404(Organisation, slug=slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    membership = (
        Membership.objects.select_related("team")
        .filter(organisation=organisation, user=user)
        .first()
    )
    admin = staff_powers(request)
    if membership is None and not admin:
        raise PermissionDenied
    return Place(organisation, membership, admin)


def organisation_for_admin(request: HttpRequest, slug: str) -> Place:
    place = organisation_for_member(request, slug)
    if not place.is_admin:
        raise PermissionDenied
    return place


# --- The escalation route -------------------------------------------------------------------
# Reports are seen by the organisation's responders and by the person who made each one.
# Unlike the rest of the space, network admins do not pass: a report may be about a threat
# to a named person, and nobody outside the organisation's chosen few needs to read it.


def organisation_for_reporting(request: HttpRequest, slug: str) -> Place:
    """Any member of the organisation may report; a network admin is not a member."""
    place = organisation_for_member(request, slug)
    if place.membership is None:
        raise PermissionDenied
    return place


def reports_for_responder(request: HttpRequest, slug: str) -> Place:
    place = organisation_for_reporting(request, slug)
    assert place.membership is not None
    if not is_report_reader(place.membership):
        raise PermissionDenied
    return place


def report_for_responder(request: HttpRequest, slug: str, report_id: int) -> tuple[Place, Report]:
    place = reports_for_responder(request, slug)
    report = get_object_or_404(
        Report.objects.select_related("organisation"), pk=report_id, organisation=place.organisation
    )
    return place, report


def report_for_reader(
    request: HttpRequest, slug: str, report_id: int
) -> tuple[Place, Report, bool]:
    """A report for its responders, or for the person who made it: (place, report, responder).

    Anyone else gets a 404, as for a report that does not exist, so ids reveal nothing.
    """
    place = organisation_for_member(request, slug)
    report = (
        Report.objects.select_related("organisation")
        .filter(pk=report_id, organisation=place.organisation)
        .first()
    )
    if report is None or place.membership is None:
        raise Http404
    responder = is_report_reader(place.membership)
    if not responder and report.reporter_id != place.membership.pk:
        raise Http404
    return place, report, responder


def mentoring_for_pair(
    request: HttpRequest, slug: str, pairing_id: int
) -> tuple[Place, MentorPairing, str]:
    """A mentoring pairing, for its mentor or its learner only: (place, pairing, side).

    Its notes are theirs: the organisation's admins see pairings in the list (names, topic,
    where it stands), and network admins pass no further than that either.
    """
    place = organisation_for_member(request, slug)
    pairing = get_object_or_404(
        MentorPairing.objects.select_related(
            "mentor__user", "learner__user", "topic", "own_topic", "offered_by"
        ),
        pk=pairing_id,
        organisation=place.organisation,
    )
    side = pairing.side(request.user.pk) if request.user.pk is not None else None
    if side is None:
        raise PermissionDenied
    return place, pairing, side
