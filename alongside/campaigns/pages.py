"""The public pages: the campaigns, a campaign with its live total, a chapter, its embed.

Every figure comes from the kept snapshot (progress.py): a page costs a query for the
campaign and one cache read, however many people are watching.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from alongside.campaigns.access import is_on_team
from alongside.campaigns.event_services import coming_events
from alongside.campaigns.models import Campaign, Chapter, ChapterStatus, ChapterStory, VolunteerRole
from alongside.campaigns.progress import progress_for
from alongside.lib.prepared import Prepared
from alongside.lib.site import absolute
from alongside.surgeries.publicity import EMBED_CSP

# How often a watching page asks for the latest figures (htmx polling the fragment).
POLL_SECONDS = 20
STORIES_SHOWN = 3


# Prepared (lib/prepared.py): 0.11 → 0.03 ms, most of it Django building the query.
_current = Prepared(
    lambda today: Campaign.objects.filter(ends_on__gte=today).values_list("pk", flat=True)[:1]
)


def has_current_campaign() -> bool:
    """A campaign running or coming up: the home page links to the list then."""
    return bool(_current.list(today=timezone.localdate()))


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(
        Campaign.objects.annotate(
            chapter_count=Count("chapters", filter=Q(chapters__status=ChapterStatus.APPROVED))
        )
    )
    ctx = {
        "running": [c for c in campaigns if c.is_running],
        "coming": sorted((c for c in campaigns if c.is_coming), key=lambda c: c.starts_on),
        "past": [c for c in campaigns if c.is_over],
    }
    return render(request, "campaigns/campaigns.html", ctx)


def _campaign_ctx(request: HttpRequest, slug: str) -> dict:
    campaign = get_object_or_404(Campaign, slug=slug)
    return {
        "campaign": campaign,
        "progress": progress_for(campaign),
        "poll_seconds": POLL_SECONDS,
    }


@require_GET
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    ctx = _campaign_ctx(request, slug)
    ctx["on_team"] = is_on_team(request, ctx["campaign"])
    # What worked, told by chapters who agreed to tell everyone: the latest three.
    stories = ChapterStory.objects.public().filter(chapter__campaign=ctx["campaign"])
    ctx["stories"] = list(stories.select_related("chapter")[:STORIES_SHOWN])
    return render(request, "campaigns/campaign.html", ctx)


@require_GET
def campaign_progress(request: HttpRequest, slug: str) -> HttpResponse:
    """The live part of the campaign page, for htmx to swap in every POLL_SECONDS."""
    response = render(request, "campaigns/campaign.html#progress", _campaign_ctx(request, slug))
    response["Cache-Control"] = f"public, max-age={POLL_SECONDS // 2}"
    return response


def _chapter(request: HttpRequest, slug: str, chapter_slug: str) -> dict:
    chapter = get_object_or_404(
        Chapter.objects.select_related("campaign"),
        campaign__slug=slug,
        slug=chapter_slug,
        status=ChapterStatus.APPROVED,
    )
    progress = progress_for(chapter.campaign)
    mine = progress.chapter(chapter.slug)
    if mine is None:  # approved since the snapshot was counted: it moved the version
        raise Http404
    return {
        "campaign": chapter.campaign,
        "chapter": chapter,
        "progress": progress,
        "mine": mine,
        "chapter_url": absolute(chapter.get_absolute_url()),
    }


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else ""


@require_GET
def chapter(request: HttpRequest, slug: str, chapter_slug: str) -> HttpResponse:
    ctx = _chapter(request, slug, chapter_slug)
    chapter = ctx["chapter"]
    # Leads by first name only: enough to say who runs it, nothing to find them by.
    names = chapter.chapter_volunteers.filter(role=VolunteerRole.LEAD).values_list(
        "name", flat=True
    )
    ctx["leads"] = [n for n in (first_name(name) for name in names) if n]
    ctx["embed_url"] = absolute(f"{chapter.get_absolute_url()}embed/")
    ctx["on_team"] = is_on_team(request, chapter.campaign)
    mine = (
        chapter.chapter_volunteers.filter(user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    # Its volunteers (and the team) find their way to the hub and the money from here.
    ctx["is_volunteer"] = chapter.is_approved and (ctx["on_team"] or mine is not None)
    ctx["is_lead"] = ctx["on_team"] or (mine is not None and mine.is_lead)
    ctx["events"] = coming_events(chapter)
    return render(request, "campaigns/chapter.html", ctx)


@require_GET
@xframe_options_exempt
@csp_override(EMBED_CSP)
def chapter_embed(request: HttpRequest, slug: str, chapter_slug: str) -> HttpResponse:
    return render(request, "campaigns/chapter_embed.html", _chapter(request, slug, chapter_slug))
