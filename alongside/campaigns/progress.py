"""Live progress: what each chapter has raised against its own target, and the leaderboard.

Counted with SUM ... GROUP BY in Decimal, in two queries whatever the number of chapters or
donations, and kept in the cache under the campaign's `money_version`: every donation
written moves that number in its own transaction, so the total is counted once per change
however many people are watching, and never served from before a change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.timesince import timeuntil

from alongside.campaigns.models import Campaign, Chapter, ChapterStatus, Donation, Stream

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# A bound on a copy's life, for changes that do not move money_version (the admin editing
# a target): money is never stale, since every donation moves the version.
SNAPSHOT_SECONDS = 60 * 60


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def share_of(raised: Decimal, target: Decimal) -> int:
    """Whole per cent of the target reached (may pass 100); 0 for a target of nothing."""
    if target <= 0:
        return 0
    return int((raised * 100 / target).to_integral_value(rounding="ROUND_FLOOR"))


def _bar(share: int) -> int:
    """For <progress max="100">: past the target is a full bar, a refund never below empty."""
    return max(0, min(share, 100))


@dataclass
class ChapterProgress:
    """One chapter's figures: plain values, so the snapshot keeps no model in the cache."""

    pk: int
    city: str
    country: str
    slug: str
    currency: str
    target: Decimal
    ends_at: dt.datetime
    # Net of fees, in the chapter's own currency (donations in that currency).
    raised: Decimal = ZERO
    # Net of fees, in the campaign's currency: everything converted so far.
    raised_in_campaign: Decimal = ZERO
    # Donations still waiting for a rate: counted in `raised` or `other`, not converted.
    not_converted: int = 0
    # Donations in a third currency, by currency: shown beside the chapter's own.
    other: dict[str, Decimal] = field(default_factory=dict)
    # Net in the chapter's own currency, by stream (cash, import...): the chapter's chart.
    by_stream: dict[str, Decimal] = field(default_factory=dict)
    rank: int = 0

    @property
    def share(self) -> int:
        return share_of(self.raised, self.target)

    @property
    def bar_value(self) -> int:
        return _bar(self.share)

    @property
    def needs(self) -> Decimal:
        return max(self.target - self.raised, ZERO)

    @property
    def time_left(self) -> dt.timedelta:
        return max(self.ends_at - timezone.now(), dt.timedelta(0))

    @property
    def time_left_words(self) -> str:
        """ "3 days", "10 hours": the largest unit only, short enough for a phone's table."""
        return timeuntil(self.ends_at, depth=1) if self.time_left else ""

    def streams(self) -> list[tuple[str, Decimal, int]]:
        """(stream label, amount, share of the chapter's own-currency total), largest first."""
        labels = dict(Stream.choices)
        return [
            (
                str(labels.get(stream, stream)),
                amount,
                max(0, min(share_of(amount, self.raised), 100)),
            )
            for stream, amount in sorted(self.by_stream.items(), key=lambda kv: -kv[1])
        ]


@dataclass
class CampaignProgress:
    campaign_id: int
    version: int
    currency: str
    target: Decimal
    chapters: list[ChapterProgress]
    counted_at: dt.datetime

    @property
    def raised(self) -> Decimal:
        return sum((c.raised_in_campaign for c in self.chapters), ZERO)

    @property
    def not_converted(self) -> int:
        return sum(c.not_converted for c in self.chapters)

    @property
    def share(self) -> int:
        return share_of(self.raised, self.target)

    @property
    def bar_value(self) -> int:
        return _bar(self.share)

    @property
    def needs(self) -> Decimal:
        return max(self.target - self.raised, ZERO)

    @property
    def leaderboard(self) -> list[ChapterProgress]:
        """By share of each chapter's own target, so a small city can beat a large one."""
        return sorted(self.chapters, key=lambda c: c.rank)

    def chapter(self, slug: str) -> ChapterProgress | None:
        return next((c for c in self.chapters if c.slug == slug), None)


def recount(campaign: Campaign) -> CampaignProgress:
    """Count every approved chapter's money afresh: two queries."""
    chapters: dict[int, ChapterProgress] = {}
    approved = Chapter.objects.filter(campaign=campaign, status=ChapterStatus.APPROVED)
    for chapter in approved.only(
        "pk", "campaign_id", "city", "country", "slug", "currency", "target", "time_zone"
    ):
        chapter.campaign = campaign  # ends_at() reads it: not a query per chapter
        chapters[chapter.pk] = ChapterProgress(
            pk=chapter.pk,
            city=chapter.city,
            country=chapter.country,
            slug=chapter.slug,
            currency=chapter.currency,
            target=chapter.target,
            ends_at=chapter.ends_at(),
        )
    waiting = Q(campaign_net__isnull=True)
    rows = (
        Donation.objects.filter(chapter__campaign=campaign, chapter__status=ChapterStatus.APPROVED)
        .values("chapter_id", "currency", "stream")
        .annotate(
            net_sum=Sum("net"),
            converted=Sum("campaign_net"),
            waiting_net=Sum("net", filter=waiting),
            waiting=Count("pk", filter=waiting),
        )
        .order_by()
    )
    # SQLite adds decimals up in floating point (29,479.689999… for 29,479.69): each sum is
    # brought back to the penny, which is exact while the error is under half a penny.
    for row in rows:
        progress = chapters[row["chapter_id"]]
        net = cents(row["net_sum"] or ZERO)
        if row["currency"] == progress.currency:
            progress.raised += net
            stream = row["stream"]
            progress.by_stream[stream] = progress.by_stream.get(stream, ZERO) + net
        else:
            progress.other[row["currency"]] = progress.other.get(row["currency"], ZERO) + net
        progress.raised_in_campaign += cents(row["converted"] or ZERO)
        if row["currency"] == campaign.currency:
            # Already in the campaign's currency: nothing to wait for.
            progress.raised_in_campaign += cents(row["waiting_net"] or ZERO)
        else:
            progress.not_converted += row["waiting"]
    ordered = sorted(
        chapters.values(), key=lambda c: (-share_of(c.raised, c.target), -c.raised, c.city)
    )
    for rank, progress in enumerate(ordered, start=1):
        progress.rank = rank
    return CampaignProgress(
        campaign_id=campaign.pk,
        version=campaign.money_version,
        currency=campaign.currency,
        target=campaign.target,
        chapters=sorted(chapters.values(), key=lambda c: c.city),
        counted_at=timezone.now(),
    )


def snapshot_key(campaign: Campaign) -> str:
    return f"campaign-progress:{campaign.pk}:{campaign.money_version}"


def progress_for(campaign: Campaign) -> CampaignProgress:
    """The kept count for this version of the campaign's money, counting it if nobody has."""
    key = snapshot_key(campaign)
    found = cache.get(key)
    if found is None:
        found = recount(campaign)
        cache.set(key, found, SNAPSHOT_SECONDS)
    return found
