"""Who may open a campaign's pages: 404 for what does not exist, 403 for what is not yours."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from alongside.campaigns.models import Campaign, Chapter, ChapterVolunteer, TeamMember
from alongside.lib.staff import staff_powers

# --- Money -----------------------------------------------------------------------------------
# Minimal helpers for the money pages; the merge may point them at the shared
# campaign_for_team / chapter_for_volunteer.
# Views using them are @login_required.


def _is_team(request: HttpRequest, campaign: Campaign) -> bool:
    return staff_powers(request) or (
        TeamMember.objects.filter(campaign=campaign, user_id=request.user.pk or 0).exists()
    )


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
