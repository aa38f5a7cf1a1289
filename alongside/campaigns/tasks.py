"""Emails about campaigns, sent by the task worker through the outbox.

Each part of the app appends its own section below.
"""

from __future__ import annotations

from django.tasks import task

from alongside.campaigns.models import Chapter, ChapterInvitation, ChapterStatus
from alongside.lib import site
from alongside.outbox import emails

# --- Chapters and their volunteers -----------------------------------------------------------


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
