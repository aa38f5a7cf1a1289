"""Campaigns for tests: a campaign in pounds, its team, and chapters in any currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.text import slugify

from alongside.campaigns.models import (
    Campaign,
    Chapter,
    ChapterStatus,
    ChapterVolunteer,
    TeamMember,
    VolunteerRole,
)
from alongside.test import make_user


def make_campaign(
    name: str = "One Night for Water",
    *,
    days_from_now: int = 30,
    currency: str = "GBP",
    target: str = "10000",
    team: list[User] | None = None,
) -> Campaign:
    day = timezone.localdate() + dt.timedelta(days=days_from_now)
    campaign = Campaign.objects.create(
        name=name,
        slug=slugify(name),
        cause="Clean water for villages, through one charity.",
        beneficiary="Water for Everyone",
        starts_on=day,
        ends_on=day,
        currency=currency,
        target=Decimal(target),
    )
    for user in team or []:
        TeamMember.objects.create(campaign=campaign, user=user)
    return campaign


def make_chapter(
    campaign: Campaign,
    city: str = "Birmingham",
    *,
    country: str = "GB",
    currency: str = "GBP",
    time_zone: str = "Europe/London",
    target: str = "1500",
    status: str = ChapterStatus.APPROVED,
) -> Chapter:
    return Chapter.objects.create(
        campaign=campaign,
        city=city,
        country=country,
        slug=slugify(city),
        currency=currency,
        time_zone=time_zone,
        target=Decimal(target),
        status=status,
    )


def make_volunteer(
    chapter: Chapter, username: str, *, role: str = VolunteerRole.VOLUNTEER
) -> ChapterVolunteer:
    user = User.objects.filter(username=username).first() or make_user(
        username, f"{username}@example.org"
    )
    return ChapterVolunteer.objects.create(
        chapter=chapter, user=user, name=username.replace("-", " ").title(), role=role
    )


# --- The volunteers' hub ------------------------------------------------------------------


def make_plan(campaign: Campaign, steps: list[tuple[int, str]] | None = None) -> list:
    """The campaign's planning template: (weeks before the day, what to do)."""
    from alongside.campaigns.models import PlanStep

    steps = steps or [(10, "Find a venue"), (6, "Start the publicity"), (-1, "Say thank you")]
    return [
        PlanStep.objects.create(campaign=campaign, title=title, weeks_before=weeks)
        for weeks, title in steps
    ]


def make_team_member(campaign: Campaign, username: str) -> User:
    user = User.objects.filter(username=username).first() or make_user(
        username, f"{username}@example.org"
    )
    TeamMember.objects.create(campaign=campaign, user=user)
    return user
