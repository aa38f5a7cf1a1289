"""Money in: cash and cheques, imported exports, the live webhook, rates and refunds.

Every write is one transaction that audits who did it and calls `money_changed`, so the live
total is recounted once per change. A provider's reference counts a donation once per
chapter, enforced by the database: a second arrival adds nothing, however it comes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.campaigns.imports import Row, mapping_for, parse
from alongside.campaigns.models import (
    Campaign,
    Chapter,
    Donation,
    DonationImport,
    ImportDraft,
    ProviderMapping,
    Rate,
    Stream,
    money_changed,
)
from alongside.campaigns.models.campaign import new_secret

CENT = Decimal("0.01")
# An upload not imported within a day is thrown away.
DRAFT_LIFETIME = dt.timedelta(days=1)


# --- Conversion ------------------------------------------------------------------------------


def pick_rate(rates: list[Rate], on: dt.date) -> Rate | None:
    """The rate on or before `on`, else the earliest after it. `rates` are one currency's."""
    before = [r for r in rates if r.on <= on]
    if before:
        return max(before, key=lambda r: r.on)
    return min(rates, key=lambda r: r.on) if rates else None


def convert(amount: Decimal, rate: Rate | None) -> Decimal:
    """An amount in the campaign's currency: 1:1 without a rate, to the penny, halves up."""
    per_unit = rate.per_unit if rate is not None else Decimal(1)
    return (amount * per_unit).quantize(CENT, rounding=ROUND_HALF_UP)


class Rates:
    """A campaign's rates, read once, for converting many donations."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign_currency = campaign.currency
        self.by_currency: dict[str, list[Rate]] = defaultdict(list)
        for rate in Rate.objects.filter(campaign=campaign):
            self.by_currency[rate.currency].append(rate)

    def apply(self, donation: Donation) -> None:
        """Fill the donation's campaign amounts, or leave them empty to wait for a rate."""
        if donation.currency == self.campaign_currency:
            rate = None
        else:
            rate = pick_rate(self.by_currency[donation.currency], donation.received_on)
            if rate is None:
                donation.rate, donation.campaign_gross, donation.campaign_net = None, None, None
                return
        donation.rate = rate
        donation.campaign_gross = convert(donation.gross, rate)
        donation.campaign_net = convert(donation.net, rate)


# --- Cash and cheques ------------------------------------------------------------------------


def donation_enter(
    *,
    chapter: Chapter,
    stream: str,
    amount: Decimal,
    currency: str,
    received_on: dt.date,
    counted_by: str,
    note: str = "",
    entry_key: uuid.UUID | None = None,
    actor,
) -> Donation | None:
    """Cash or a cheque counted by a volunteer. None if this very form was already saved."""
    assert stream in (Stream.CASH, Stream.CHEQUE)
    donation = Donation(
        chapter=chapter,
        stream=stream,
        received_on=received_on,
        currency=currency,
        gross=amount,
        fees=Decimal(0),
        net=amount,
        counted_by=counted_by,
        note=note,
        entry_key=entry_key,
        entered_by=actor,
    )
    Rates(chapter.campaign).apply(donation)
    try:
        with transaction.atomic():
            donation.save()
            audit(
                f"donation.{stream}",
                donation,
                actor=actor,
                chapter=chapter.pk,
                amount=str(amount),
                currency=currency,
            )
            money_changed(chapter.campaign_id)
    except IntegrityError:
        if entry_key and Donation.objects.filter(entry_key=entry_key).exists():
            return None
        raise
    return donation


def refunded_so_far(donation: Donation) -> Decimal:
    return -sum((r.gross for r in donation.refunds.all()), Decimal(0))


def refund_record(
    *, donation: Donation, amount: Decimal, received_on: dt.date, note: str, actor
) -> Donation:
    """Give back some or all of a donation: a negative entry of its own, never an edit."""
    with transaction.atomic():
        # Locked, so two refunds at once cannot give back more than was given.
        original = (
            Donation.objects.select_for_update()
            .select_related("chapter__campaign")
            .get(pk=donation.pk)
        )
        if amount <= 0 or amount > original.gross - refunded_so_far(original):
            raise ValueError("more than is left to refund")
        refund = Donation(
            chapter=original.chapter,
            stream=original.stream,
            provider=original.provider,
            received_on=received_on,
            currency=original.currency,
            gross=-amount,
            fees=Decimal(0),
            net=-amount,
            refund_of=original,
            counted_by=original.counted_by,
            note=note,
            entered_by=actor,
        )
        Rates(original.chapter.campaign).apply(refund)
        refund.save()
        audit(
            "donation.refund",
            refund,
            actor=actor,
            chapter=original.chapter_id,
            refund_of=original.pk,
            amount=str(-amount),
            currency=original.currency,
        )
        money_changed(original.chapter.campaign_id)
    return refund


# --- Rates -----------------------------------------------------------------------------------


def _reconvert(campaign: Campaign, currency: str) -> int:
    """Put every donation in `currency` on the rate the rule now picks; how many moved."""
    rates = Rates(campaign)
    moved = []
    donations = Donation.objects.filter(chapter__campaign=campaign, currency=currency).only(
        "pk", "received_on", "currency", "gross", "net", "rate", "campaign_gross", "campaign_net"
    )
    for donation in donations.iterator(chunk_size=2000):
        before = (donation.rate_id, donation.campaign_gross, donation.campaign_net)
        rates.apply(donation)
        if (donation.rate_id, donation.campaign_gross, donation.campaign_net) != before:
            moved.append(donation)
    Donation.objects.bulk_update(moved, ["rate", "campaign_gross", "campaign_net"], batch_size=1000)
    return len(moved)


@dataclass
class RateIn:
    currency: str
    per_unit: Decimal
    on: dt.date
    source: str


def rates_save(*, campaign: Campaign, rates: list[RateIn], actor) -> tuple[int, int]:
    """Record rates (one a day per currency; a day already recorded is kept as it was) and
    convert what was waiting for them, in the same transaction. (rates added, donations moved)
    """
    added = moved = 0
    with transaction.atomic():
        currencies = set()
        for given in rates:
            if given.currency == campaign.currency:
                continue
            rate, made = Rate.objects.get_or_create(
                campaign=campaign,
                currency=given.currency,
                on=given.on,
                defaults={"per_unit": given.per_unit, "source": given.source, "entered_by": actor},
            )
            if made:
                added += 1
                currencies.add(given.currency)
                audit(
                    "rate.add",
                    rate,
                    actor=actor,
                    campaign=campaign.pk,
                    currency=rate.currency,
                    per_unit=str(rate.per_unit),
                    on=rate.on.isoformat(),
                    source=rate.source,
                )
        for currency in sorted(currencies):
            moved += _reconvert(campaign, currency)
        if moved:
            money_changed(campaign.pk)
    return added, moved


# --- Imports ---------------------------------------------------------------------------------


@dataclass
class Preview:
    """What importing a file would do: nothing is saved to make one."""

    problem: str = ""
    new: list[Row] = field(default_factory=list)
    already: list[Row] = field(default_factory=list)
    bad: list[Row] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.already) + len(self.bad)


def _already_counted(chapter: Chapter, provider: str, references: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(references), 900):
        found.update(
            Donation.objects.filter(
                chapter=chapter, provider=provider, reference__in=references[start : start + 900]
            ).values_list("reference", flat=True)
        )
    return found


def import_preview(*, chapter: Chapter, provider: str, content: str) -> Preview:
    mapping = mapping_for(chapter.campaign, provider)
    if mapping is None:
        return Preview(problem="no mapping")
    rows, problem = parse(content, mapping)
    if problem:
        return Preview(problem=problem)
    preview = Preview()
    counted = _already_counted(chapter, provider, [r.reference for r in rows if not r.problem])
    for row in rows:
        if row.problem:
            preview.bad.append(row)
        elif row.reference in counted:
            preview.already.append(row)
        else:
            preview.new.append(row)
    return preview


def discard_old_drafts() -> int:
    """A daily job: uploads previewed but never imported go after a day (they may name donors)."""
    deleted, _ = ImportDraft.objects.filter(created_at__lt=timezone.now() - DRAFT_LIFETIME).delete()
    return deleted


def draft_save(
    *, chapter: Chapter, provider: str, file_name: str, content: str, actor
) -> ImportDraft:
    discard_old_drafts()
    return ImportDraft.objects.create(
        chapter=chapter,
        provider=provider,
        file_name=file_name[:200],
        content=content,
        sha256=hashlib.sha256(content.encode()).hexdigest(),
        uploaded_by=actor,
    )


def import_commit(*, draft: ImportDraft, actor) -> DonationImport:
    """Import a previewed file. Rows already counted, by this file before or by an
    overlapping one, or by the webhook, are skipped by the database itself."""
    chapter = draft.chapter
    preview = import_preview(chapter=chapter, provider=draft.provider, content=draft.content)
    with transaction.atomic():
        record = DonationImport.objects.create(
            chapter=chapter,
            provider=draft.provider,
            file_name=draft.file_name,
            sha256=draft.sha256,
            rows=preview.rows,
            imported_by=actor,
        )
        rates = Rates(chapter.campaign)
        donations = []
        for row in preview.new:
            assert row.received_on is not None
            donation = Donation(
                chapter=chapter,
                stream=Stream.IMPORT,
                provider=draft.provider,
                reference=row.reference,
                received_on=row.received_on,
                currency=row.currency,
                gross=row.gross,
                fees=row.fees,
                net=row.net,
                source_import=record,
                entered_by=actor,
            )
            rates.apply(donation)
            donations.append(donation)
        # A row counted since the preview (another import, a live delivery) is skipped here;
        # what this import added is then exactly the rows that carry its id.
        Donation.objects.bulk_create(donations, batch_size=500, ignore_conflicts=True)
        record.added = Donation.objects.filter(source_import=record).count()
        record.already_counted = preview.rows - len(preview.bad) - record.added
        record.save(update_fields=["added", "already_counted"])
        audit(
            "donation.import",
            record,
            actor=actor,
            chapter=chapter.pk,
            provider=draft.provider,
            file=draft.file_name,
            rows=record.rows,
            added=record.added,
            already_counted=record.already_counted,
        )
        if record.added:
            money_changed(chapter.campaign_id)
        draft.delete()
    return record


def mapping_save(*, mapping: ProviderMapping, actor) -> ProviderMapping:
    """Save how a provider's export is read: later imports read it this way."""
    with transaction.atomic():
        mapping.save()
        audit(
            "campaign.provider_mapping",
            mapping,
            actor=actor,
            campaign=mapping.campaign_id,
            provider=mapping.provider,
        )
    return mapping


# --- The webhook -----------------------------------------------------------------------------


@dataclass
class Delivery:
    reference: str
    provider: str
    received_on: dt.date
    currency: str
    gross: Decimal
    fees: Decimal


def webhook_receive(*, chapter: Chapter, delivery: Delivery) -> bool:
    """Count one live donation; False (and nothing added) if its reference was counted."""
    if Donation.objects.filter(
        chapter=chapter, provider=delivery.provider, reference=delivery.reference
    ).exists():
        return False
    donation = Donation(
        chapter=chapter,
        stream=Stream.WEBHOOK,
        provider=delivery.provider,
        reference=delivery.reference,
        received_on=delivery.received_on,
        currency=delivery.currency,
        gross=delivery.gross,
        fees=delivery.fees,
        net=delivery.gross - delivery.fees,
    )
    Rates(chapter.campaign).apply(donation)
    try:
        with transaction.atomic():
            donation.save()
            audit(
                "donation.webhook",
                donation,
                chapter=chapter.pk,
                provider=delivery.provider,
                reference=delivery.reference,
                amount=str(delivery.gross),
                currency=delivery.currency,
            )
            money_changed(chapter.campaign_id)
    except IntegrityError:
        # The same reference arriving at the same moment: the other delivery counted it.
        return False
    return True


def webhook_secret_rotate(*, chapter: Chapter, actor) -> None:
    with transaction.atomic():
        chapter.webhook_secret = new_secret()
        chapter.save(update_fields=["webhook_secret"])
        audit("chapter.webhook_secret", chapter, actor=actor, chapter=chapter.pk)
