"""Who may open a campaign's private pages.

A campaign or chapter with no such address is a 404; anyone else, signed in or not, gets a
403. Network admins pass as the campaign's team, to set a campaign up or help a stuck one;
what they do is audited under their own name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from alongside.campaigns.models import Campaign, Chapter, ChapterVolunteer, TeamMember
from alongside.lib.staff import staff_powers

# --- The campaign team and chapter volunteers ----------------------------------------------


def is_on_team(request: HttpRequest, campaign: Campaign) -> bool:
    """On the campaign's team, or a network admin (who passes as the team)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if staff_powers(request):
        return True
    return TeamMember.objects.filter(campaign=campaign, user=user).exists()


def campaign_for_team(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(Campaign, slug=slug)
    if not is_on_team(request, campaign):
        raise PermissionDenied
    return campaign


@dataclass(frozen=True)
class ChapterPlace:
    """A chapter as the person asking sees it: their place in it, or the team's."""

    chapter: Chapter
    volunteer: ChapterVolunteer | None
    team: bool

    @property
    def campaign(self) -> Campaign:
        return self.chapter.campaign

    @property
    def is_lead(self) -> bool:
        """May invite volunteers and run the chapter: its leads, and the campaign team."""
        return self.team or (self.volunteer is not None and self.volunteer.is_lead)


def chapter_for_volunteer(request: HttpRequest, slug: str, chapter_slug: str) -> ChapterPlace:
    """The chapter's volunteers and leads, and the campaign's team (network admins too)."""
    chapter = get_object_or_404(
        Chapter.objects.select_related("campaign"), campaign__slug=slug, slug=chapter_slug
    )
    if not request.user.is_authenticated:
        raise PermissionDenied
    volunteer = ChapterVolunteer.objects.filter(chapter=chapter, user=request.user).first()
    team = is_on_team(request, chapter.campaign)
    if volunteer is None and not team:
        raise PermissionDenied
    return ChapterPlace(chapter, volunteer, team)


def chapter_for_lead(request: HttpRequest, slug: str, chapter_slug: str) -> ChapterPlace:
    place = chapter_for_volunteer(request, slug, chapter_slug)
    if not place.is_lead:
        raise PermissionDenied
    return place


def approved_chapter_for_volunteer(
    request: HttpRequest, slug: str, chapter_slug: str
) -> ChapterPlace:
    """As chapter_for_volunteer, for an approved chapter only: its hub and its money.

    A chapter still waiting for the team, or declined, has neither: a 404, as for no chapter.
    """
    place = chapter_for_volunteer(request, slug, chapter_slug)
    if not place.chapter.is_approved:
        raise Http404
    return place


# --- A chapter's local events ----------------------------------------------------------------


def approved_chapter_for_lead(request: HttpRequest, slug: str, chapter_slug: str) -> ChapterPlace:
    """The chapter's leads and the campaign team, for an approved chapter only: nobody books
    at a chapter still waiting for the team, or declined (a 404, as for no chapter)."""
    place = chapter_for_lead(request, slug, chapter_slug)
    if not place.chapter.is_approved:
        raise Http404
    return place
