"""Campaigns across many places: one cause, chapters in many cities, and the money they raise.

`campaign.py` holds the campaign, its team and its chapters with their volunteers;
`money.py` the donations from every stream, the rates they are converted at, and imports;
`hub.py` the volunteers' hub: the planning checklist, announcements, resources and stories.
Money is always `Decimal`, never a float, and each amount keeps its own currency.
"""

from alongside.campaigns.models.campaign import (
    Campaign,
    Chapter,
    ChapterInvitation,
    ChapterStatus,
    ChapterVolunteer,
    TeamMember,
    VolunteerRole,
)
from alongside.campaigns.models.hub import (
    Announcement,
    Audience,
    ChapterStory,
    ChapterTask,
    PlanStep,
    Resource,
    StoryStatus,
)
from alongside.campaigns.models.money import (
    Donation,
    DonationImport,
    ImportDraft,
    ProviderMapping,
    Rate,
    Stream,
    money_changed,
)

__all__ = [
    "Announcement",
    "Audience",
    "ChapterStory",
    "ChapterTask",
    "PlanStep",
    "Resource",
    "StoryStatus",
    "Campaign",
    "Chapter",
    "ChapterInvitation",
    "ChapterStatus",
    "ChapterVolunteer",
    "Donation",
    "DonationImport",
    "ImportDraft",
    "ProviderMapping",
    "Rate",
    "Stream",
    "TeamMember",
    "VolunteerRole",
    "money_changed",
]
