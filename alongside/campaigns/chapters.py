"""Chapters proposed and decided, and the volunteers their leads invite.

Anyone signed in proposes a chapter; the campaign's team approves or declines it; a chapter's
leads invite volunteers by email, who say yes after signing in with that address.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.http import SignedInRequest
from alongside.accounts.people import addresses_of
from alongside.campaigns import services
from alongside.campaigns.access import campaign_for_team, chapter_for_lead
from alongside.campaigns.chapter_forms import ChapterProposalForm, DecisionForm, InvitationForm
from alongside.campaigns.models import (
    Campaign,
    Chapter,
    ChapterInvitation,
    ChapterStatus,
    ChapterVolunteer,
)

# How many decided chapters the team page lists under the ones waiting.
RECENT_DECISIONS = 20


@login_required
def chapter_new(request: SignedInRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    if campaign.is_over:
        return render(request, "campaigns/chapter_new.html", {"campaign": campaign, "over": True})
    form = ChapterProposalForm(request.POST or None)
    existing: Chapter | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.chapter_propose(
                campaign=campaign,
                city=data["city"],
                country=data["country"],
                time_zone=data["time_zone"],
                currency=data["currency"],
                target=data["target"],
                name=data["name"],
                proposer=request.user,
            )
        except services.ChapterExists as e:
            existing = e.chapter
            form.add_error("city", _("This place already has a chapter."))
        else:
            messages.success(
                request,
                _(
                    "Thank you. The campaign team will look at your chapter and email you "
                    "when they have decided."
                ),
            )
            return redirect(campaign)
    ctx = {"campaign": campaign, "form": form, "existing": existing}
    return render(request, "campaigns/chapter_new.html", ctx)


def team(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    chapters = Chapter.objects.filter(campaign=campaign).select_related("proposed_by")
    ctx = {
        "campaign": campaign,
        "waiting": list(chapters.filter(status=ChapterStatus.PROPOSED).order_by("created_at")),
        "decided": list(
            chapters.exclude(status=ChapterStatus.PROPOSED).order_by("-decided_at", "city")[
                :RECENT_DECISIONS
            ]
        ),
        "form": DecisionForm(),
    }
    return render(request, "campaigns/team.html", ctx)


@require_POST
def chapter_decide(request: SignedInRequest, slug: str, chapter_id: int) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    # A chapter of another campaign is not found here, whatever id is sent.
    chapter = get_object_or_404(Chapter, pk=chapter_id, campaign=campaign)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or decline."))
        return redirect("campaign_team", slug)
    if form.cleaned_data["decision"] == DecisionForm.APPROVE:
        done = services.chapter_approve(chapter=chapter, actor=request.user)
        said = _("%(city)s is approved, and its lead has been told.")
    else:
        done = services.chapter_decline(
            chapter=chapter, actor=request.user, message=form.cleaned_data["message"]
        )
        said = _("%(city)s is declined, and whoever proposed it has been told.")
    if done:
        messages.success(request, said % {"city": chapter.city})
    else:
        # Decided by someone else already, or this is a second press of the button.
        messages.info(request, _("%(city)s was decided already.") % {"city": chapter.city})
    return redirect("campaign_team", slug)


def chapter_volunteers(request: SignedInRequest, slug: str, chapter_slug: str) -> HttpResponse:
    place = chapter_for_lead(request, slug, chapter_slug)
    chapter = place.chapter
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = services.chapter_invitation_create(
            chapter=chapter,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        messages.success(
            request, _("We have emailed an invitation to %(email)s.") % {"email": invitation.email}
        )
        return redirect("chapter_volunteers", slug, chapter_slug)
    ctx = {
        "place": place,
        "campaign": chapter.campaign,
        "chapter": chapter,
        "volunteers": ChapterVolunteer.objects.filter(chapter=chapter),
        "invitations": ChapterInvitation.objects.filter(chapter=chapter, accepted_at__isnull=True),
        "form": form,
    }
    return render(request, "campaigns/volunteers.html", ctx)


def chapter_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees the invitation; saying yes needs sign-in with its address."""
    found = ChapterInvitation.from_token(token)
    if found is None:
        raise Http404
    user = request.user
    addresses = addresses_of(user)
    ctx = {
        "invitation": found,
        "chapter": found.chapter,
        "campaign": found.chapter.campaign,
        "usable": found.accepted_at is None and not found.is_expired,
        "right_person": found.email.lower() in addresses,
        "login_url": f"{reverse('account_login')}?next={request.path}",
    }
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.path)
        if ctx["usable"] and ctx["right_person"]:
            if services.chapter_invitation_accept(invitation=found, user=user):
                messages.success(
                    request,
                    _("Welcome to the %(city)s chapter.") % {"city": found.chapter.city},
                )
                return redirect(found.chapter)
            ctx["usable"] = False
    return render(request, "campaigns/invitation.html", ctx)
