"""Campaign emails, each sent through the outbox after the change that asks for it commits.

Each part of the app keeps its tasks in its own section below.
"""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from alongside.campaigns.models import Announcement, Chapter, ChapterInvitation, ChapterStatus
from alongside.lib import site
from alongside.outbox import emails

# --- Chapters and their volunteers -----------------------------------------------------------


@task()
def send_chapter_proposed(chapter_id: int) -> None:
    """Tell the campaign's team, once each, that a chapter is waiting for them."""
    chapter = Chapter.objects.select_related("campaign").filter(pk=chapter_id).first()
    # Decided already (a quick team), or gone: nothing is waiting.
    if chapter is None or chapter.status != ChapterStatus.PROPOSED:
        return
    campaign = chapter.campaign
    ctx = {
        "chapter": chapter,
        "campaign": campaign,
        "team_url": site.absolute(reverse("campaign_team", args=[campaign.slug])),
    }
    for member in campaign.team_members.select_related("user"):
        if member.user.email:
            emails.send(
                "chapter-proposed",
                member.user.email,
                ctx,
                key=f"chapter-proposed:{chapter_id}:{member.user_id}",
            )


@task()
def send_chapter_decided(chapter_id: int, message: str) -> None:
    """Tell whoever proposed a chapter that it is approved, or kindly why not."""
    chapter = (
        Chapter.objects.select_related("campaign", "proposed_by").filter(pk=chapter_id).first()
    )
    if chapter is None or chapter.proposed_by is None or not chapter.proposed_by.email:
        return
    approved = chapter.status == ChapterStatus.APPROVED
    ctx = {
        "chapter": chapter,
        "campaign": chapter.campaign,
        "name": chapter.proposer_name,
        "message": message,
        "chapter_url": site.absolute(chapter.get_absolute_url()),
        "campaign_url": site.absolute(chapter.campaign.get_absolute_url()),
    }
    name = "chapter-approved" if approved else "chapter-declined"
    emails.send(name, chapter.proposed_by.email, ctx, key=f"{name}:{chapter_id}")


@task()
def send_chapter_invitation(invitation_id: int, nonce: str) -> None:
    invitation = (
        ChapterInvitation.objects.select_related("chapter__campaign", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    # Accepted or sent again since: this link would not work, so send nothing.
    if invitation is None or invitation.accepted_at or invitation.nonce != nonce:
        return
    ctx = {
        "invitation": invitation,
        "chapter": invitation.chapter,
        "campaign": invitation.chapter.campaign,
        "role": invitation.get_role_display(),
        "accept_url": site.absolute(invitation.get_absolute_url()),
        "expires_at": invitation.expires_at,
    }
    emails.send(
        "chapter-invitation",
        invitation.email,
        ctx,
        key=f"chapter-invitation:{invitation_id}:{nonce}",
    )


# --- hub ----------------------------------------------------------------------------------


@task()
def send_announcement(announcement_id: int) -> None:
    """Email an announcement once to each chapter lead (or volunteer) of approved chapters.

    Someone in two chapters gets it once, with a link to the hub of the first. The key is per
    announcement and person, so a retried or repeated task sends nobody a second copy.
    """
    announcement = (
        Announcement.objects.select_related("campaign").filter(pk=announcement_id).first()
    )
    if announcement is None:
        return
    campaign = announcement.campaign
    volunteers = Announcement.volunteers_for(campaign, announcement.audience).select_related(
        "user", "chapter"
    )
    seen: set[int] = set()
    for volunteer in volunteers.order_by("user_id", "chapter__city"):
        if volunteer.user_id in seen or not volunteer.user.email:
            continue
        seen.add(volunteer.user_id)
        hub_url = site.absolute(
            reverse("chapter_hub", args=[campaign.slug, volunteer.chapter.slug])
        )
        ctx = {
            "announcement": announcement,
            "campaign": campaign,
            "volunteer": volunteer,
            "hub_url": hub_url,
        }
        emails.send(
            "campaign-announcement",
            volunteer.user.email,
            ctx,
            key=f"campaign-announcement:{announcement.pk}:{volunteer.user_id}",
            unsubscribe_kind=emails.CAMPAIGN_NEWS,
        )
