"""Campaign emails, each sent through the outbox after the change that asks for it commits.

Each part of the app keeps its tasks in its own section below.
"""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from alongside.campaigns.models import Announcement
from alongside.lib import site
from alongside.outbox import emails

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
