"""Who may open a campaign's pages: its team, its chapters' volunteers, and network admins.

What does not exist is a 404; what exists but is not yours is a 403, signed in or not.
Each part of the app keeps its helpers in its own section below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from alongside.campaigns.models import Campaign, Chapter, ChapterStatus, ChapterVolunteer
from alongside.lib.staff import staff_powers

# --- hub ----------------------------------------------------------------------------------
# Minimal stand-ins for the shared campaign_for_team / chapter_for_volunteer: the same rules.


def _is_team(request: HttpRequest, campaign: Campaign) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return staff_powers(request) or campaign.team_members.filter(user=user).exists()


def _hub_team(request: HttpRequest, slug: str) -> Campaign:
    """The campaign, for its team and network admins."""
    campaign = get_object_or_404(Campaign, slug=slug)
    if not _is_team(request, campaign):
        raise PermissionDenied
    return campaign


@dataclass(frozen=True)
class HubPlace:
    """A chapter as the person asking sees it: as one of its volunteers, or as the team."""

    chapter: Chapter
    volunteer: ChapterVolunteer | None

    @property
    def campaign(self) -> Campaign:
        return self.chapter.campaign


def _hub_volunteer(request: HttpRequest, slug: str, chapter_slug: str) -> HubPlace:
    """An approved chapter, for its volunteers, its campaign's team and network admins."""
    chapter = get_object_or_404(
        Chapter.objects.select_related("campaign"),
        campaign__slug=slug,
        slug=chapter_slug,
        status=ChapterStatus.APPROVED,
    )
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    volunteer = ChapterVolunteer.objects.filter(chapter=chapter, user=user).first()
    if volunteer is None and not _is_team(request, chapter.campaign):
        raise PermissionDenied
    return HubPlace(chapter, volunteer)


# --- Money -----------------------------------------------------------------------------------


def _money_team(request: HttpRequest, slug: str) -> Campaign:
    """The campaign, for its team (and network admins)."""
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise Http404
    if not _is_team(request, campaign):
        raise PermissionDenied
    return campaign


def _money_volunteer(request: HttpRequest, slug: str, chapter_slug: str) -> Chapter:
    """An approved chapter, for its own volunteers and the campaign's team."""
    chapter = (
        Chapter.objects.select_related("campaign")
        .filter(campaign__slug=slug, slug=chapter_slug, status="approved")
        .first()
    )
    if chapter is None:
        raise Http404
    mine = ChapterVolunteer.objects.filter(chapter=chapter, user_id=request.user.pk or 0).exists()
    if not mine and not _is_team(request, chapter.campaign):
        raise PermissionDenied
    return chapter
