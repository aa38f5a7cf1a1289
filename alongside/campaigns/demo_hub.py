"""The volunteers' hub in the demo: each chapter's checklist, the team's announcements, the
resources it chose, and what worked, told by the chapters.

Called by alongside.campaigns.demo.add_demo once its campaigns are in. Rows go in directly,
as in the other demo modules: the services would email every volunteer.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from alongside.campaigns.hub_services import checklists_copy
from alongside.campaigns.models import (
    Announcement,
    Campaign,
    ChapterStory,
    ChapterTask,
    ChapterVolunteer,
    PlanStep,
    Resource,
    StoryStatus,
    VolunteerRole,
)
from alongside.campaigns.models.hub import SUGGESTED_PLAN, Audience
from alongside.guidance.models import Sheet

# The chapter of the coming campaign that was approved late.
LATE = "Honolulu"

ANNOUNCEMENTS = {
    "past": [
        (
            70,
            "Welcome, and the plan",
            "Thank you for running the night where you live. Your hub has a checklist with "
            "dates worked out for your city: nothing on it is compulsory, and it is all easier "
            "with a friend. Start with a venue.",
        ),
        (
            -5,
            "Thank you: what we raised together",
            "Every city's total is on the campaign page, with the money converted at the rates "
            "we recorded. If you still have cash to count, add it in your chapter's money page.",
        ),
    ],
    "next": [
        (
            8,
            "We're off again",
            "Welcome back, and welcome to the new chapters. The checklist is shorter this "
            "time: if a date has gone by, it says \u201cif you can\u201d and that is fine.",
        ),
    ],
}

STORIES = [
    (
        "Birmingham",
        "A pub quiz with a round about water",
        "We asked the pub for the function room on a quiet night. A £3 entry, a raffle of "
        "donated prizes, and a round of questions about water that got people talking.\n"
        "185 people came through the door over the evening.",
        True,
    ),
    (
        "Toronto",
        "Ask the local radio early",
        "The community station gave us a ten-minute slot the week before because we asked "
        "six weeks ahead. Half the people who came said they heard it there.",
        False,
    ),
    (
        "Honolulu",
        "Cash tins at the door, card at the bar",
        "Two volunteers with tins at the door and a card reader at the bar: nobody had to "
        "queue to give, and we counted the tins together before leaving.",
        False,
    ),
    (
        "Berlin",
        "A second language on the posters",
        "Posters in German and English brought in people who would not have come otherwise.",
        False,
    ),
]


def add_hub_demo(*, campaigns: dict[str, Campaign], today: dt.date, seed: int = 2010) -> int:
    """Fill the hub of each campaign once; returns the number of checklist tasks."""
    rng = random.Random(seed)
    for key, campaign in campaigns.items():
        if PlanStep.objects.filter(campaign=campaign).exists():
            continue
        _plan(campaign, key, today, rng)
    return ChapterTask.objects.filter(chapter__campaign__in=campaigns.values()).count()


def _plan(campaign: Campaign, key: str, today: dt.date, rng: random.Random) -> None:
    made = timezone.make_aware(
        dt.datetime.combine(campaign.starts_on - dt.timedelta(weeks=11), dt.time(10))
    )
    PlanStep.objects.bulk_create(
        PlanStep(
            campaign=campaign,
            title=str(title),
            detail=str(detail),
            weeks_before=weeks,
            created_at=made,
        )
        for weeks, title, detail in SUGGESTED_PLAN
    )
    checklists_copy(campaign=campaign)
    # The chapters were there from the start, but for one approved late in the coming
    # campaign: the steps already gone by are offered to it "if you can".
    ChapterTask.objects.filter(chapter__campaign=campaign).exclude(
        chapter__city=LATE if key == "next" else None
    ).update(if_you_can=False)
    leads = {
        v.chapter_id: v.user
        for v in ChapterVolunteer.objects.filter(
            chapter__campaign=campaign, role=VolunteerRole.LEAD
        )
    }
    # What was due by today is mostly done, ticked off by the chapter's lead a day or two early.
    done = []
    for task in ChapterTask.objects.filter(chapter__campaign=campaign, due_on__isnull=False):
        due = task.due_on
        late = key == "next" and task.if_you_can
        if due is None or late or due > today or rng.random() > (0.95 if key == "past" else 0.7):
            continue
        task.done_at = timezone.make_aware(
            dt.datetime.combine(due - dt.timedelta(days=rng.randint(0, 3)), dt.time(19))
        )
        task.done_by = leads.get(task.chapter_id)
        done.append(task)
    ChapterTask.objects.bulk_update(done, ["done_at", "done_by"])

    team = campaign.team.first()
    for weeks, subject, body in ANNOUNCEMENTS[key]:
        day = campaign.starts_on - dt.timedelta(weeks=weeks) if weeks > 0 else None
        day = day or campaign.ends_on + dt.timedelta(days=-weeks)
        if day > today:
            continue
        Announcement.objects.create(
            campaign=campaign,
            subject=subject,
            body=body,
            audience=Audience.LEADS,
            written_by=team,
            created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30))),
        )
    for sheet in Sheet.objects.filter(published=True).order_by("pk")[:2]:
        Resource.objects.create(campaign=campaign, sheet=sheet)
    Resource.objects.create(
        campaign=campaign,
        title="Posters and the logo to print",
        url="https://example.org/one-night-for-wells/posters",
    )
    if key != "past":
        return
    chapters = {c.city: c for c in campaign.chapters.all()}
    for city, title, text, public in STORIES:
        chapter = chapters.get(city)
        if chapter is None:
            continue
        told = timezone.make_aware(
            dt.datetime.combine(campaign.ends_on + dt.timedelta(days=3), dt.time(20))
        )
        ChapterStory.objects.create(
            chapter=chapter,
            author=leads.get(chapter.pk),
            title=title,
            text=text,
            for_chapters=True,
            public=public,
            status=StoryStatus.APPROVED,
            moderated_by=team,
            moderated_at=told + dt.timedelta(hours=14),
            created_at=told,
        )
