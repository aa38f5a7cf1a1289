"""Campaigns for tests: a campaign in pounds, its team, and chapters in any currency."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alongside.campaigns.models import (
    Campaign,
    Chapter,
    ChapterStatus,
    ChapterVolunteer,
    Donation,
    Rate,
    TeamMember,
    VolunteerRole,
)
from alongside.campaigns.models.money import money_changed
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


# --- Money in --------------------------------------------------------------------------------

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def sample(name: str) -> str:
    """A shipped sample export: "tickettree-export.csv" or "payfriend-export.csv"."""
    return (SAMPLES / name).read_text(encoding="utf-8")


def webhook_body(reference: str, amount: str = "10.00", **fields: str) -> bytes:
    payload = {
        "reference": reference,
        "amount": amount,
        "currency": "GBP",
        "fees": "0.50",
        "received_on": "2026-05-04",
        "provider": "PayFriend",
        **fields,
    }
    return json.dumps(payload).encode()


def post_webhook(client, chapter: Chapter, body: bytes, *, at: int | None = None, secret=None):
    from alongside.campaigns.webhooks import sign

    header = sign(secret or chapter.webhook_secret, body, int(time.time()) if at is None else at)
    return client.post(
        f"/campaigns/hooks/{chapter.pk}/",
        body,
        content_type="application/json",
        headers={"X-Alongside-Signature": header},
    )


# --- Campaign and chapter pages, live progress ----------------------------------------------


def make_donation(
    chapter: Chapter,
    gross: str,
    *,
    fees: str = "0",
    currency: str | None = None,
    stream: str = "cash",
    per_unit: str | None = None,
    reference: str = "",
    provider: str = "",
) -> Donation:
    """A donation written as the money services would: converted at a recorded rate when one
    is given (per_unit), and money_changed called in the same transaction."""
    campaign = chapter.campaign
    currency = currency or chapter.currency
    gross_d, fees_d = Decimal(gross), Decimal(fees)
    rate = None
    campaign_gross = campaign_net = None
    with transaction.atomic():
        if currency == campaign.currency:
            campaign_gross, campaign_net = gross_d, gross_d - fees_d
        elif per_unit is not None:
            rate, _ = Rate.objects.get_or_create(
                campaign=campaign,
                currency=currency,
                on=timezone.localdate(),
                defaults={"per_unit": Decimal(per_unit), "source": "Test rates"},
            )
            cent = Decimal("0.01")
            campaign_gross = (gross_d * rate.per_unit).quantize(cent, rounding=ROUND_HALF_UP)
            campaign_net = ((gross_d - fees_d) * rate.per_unit).quantize(
                cent, rounding=ROUND_HALF_UP
            )
        donation = Donation.objects.create(
            chapter=chapter,
            stream=stream,
            provider=provider,
            reference=reference,
            received_on=timezone.localdate(),
            currency=currency,
            gross=gross_d,
            fees=fees_d,
            net=gross_d - fees_d,
            rate=rate,
            campaign_gross=campaign_gross,
            campaign_net=campaign_net,
        )
        money_changed(campaign.pk)
    return donation


# --- A chapter's local events ----------------------------------------------------------------


def make_event(
    chapter: Chapter,
    lead: User,
    title: str = "Quiz night at the Red Lion",
    *,
    days: int = 10,
    places: int = 40,
    suggested_donation: str | None = "5",
):
    """An event added through the service, as a lead adds one from the events page."""
    from alongside.campaigns.event_services import chapter_event_add

    return chapter_event_add(
        chapter=chapter,
        actor=lead,
        title=title,
        date=timezone.localdate() + dt.timedelta(days=days),
        start_time=dt.time(19, 30),
        end_time=dt.time(22, 0),
        venue_name="The Red Lion",
        venue_address="12 Digbeth, Birmingham",
        places=places,
        suggested_donation=Decimal(suggested_donation) if suggested_donation else None,
    )
