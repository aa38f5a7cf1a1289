"""Money raised for a campaign: donations from every stream, and the rates that convert them.

Every amount is a `Decimal` in its own currency, kept as it came (gross, fees, net), with its
value in the campaign's currency worked out once, at a rate recorded with its date and source.
A donation is never edited to change its amount: a refund is a negative entry of its own.
A provider's reference identifies a donation once per chapter, so the same export imported
twice, an overlapping export, or a webhook delivered again adds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.campaigns.models.campaign import Campaign, Chapter, MoneyField, currency_code


class Stream(models.TextChoices):
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    IMPORT = "import", _("Imported from a payment provider")
    WEBHOOK = "webhook", _("Sent live by a payment provider")


class Rate(models.Model):
    """What one unit of a currency was worth in the campaign's currency, from a day on.

    Entered or imported by the campaign's team; never fetched from the internet.
    """

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="rates")
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    per_unit = models.DecimalField(
        _("worth, in the campaign's currency"), max_digits=18, decimal_places=8
    )
    on = models.DateField(_("from"))
    source = models.CharField(_("where the rate comes from"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["currency", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "currency", "on"], name="rate_one_a_day"),
            models.CheckConstraint(condition=Q(per_unit__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.per_unit} on {self.on}"


class DonationImport(models.Model):
    """One file of a payment provider's export, as imported: what it added and what it skipped."""

    chapter = models.ForeignKey(Chapter, models.PROTECT, related_name="imports")
    provider = models.CharField(_("payment provider"), max_length=80)
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    already_counted = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} for {self.chapter_id}"


class Donation(models.Model):
    """One amount given to a chapter, from one stream, in the currency it came in."""

    chapter = models.ForeignKey(Chapter, models.PROTECT, related_name="donations")
    stream = models.CharField(max_length=10, choices=Stream.choices)
    # The payment provider ("Eventbrite", "PayPal") and its reference; blank for cash.
    provider = models.CharField(max_length=80, blank=True)
    reference = models.CharField(max_length=120, blank=True)
    received_on = models.DateField(_("date received"))
    currency = models.CharField(max_length=3, validators=[currency_code])
    gross = MoneyField()
    fees = MoneyField(default=0)
    net = MoneyField()
    # In the campaign's currency, at `rate` (none when the currencies are the same). Empty
    # while no rate for this currency has been recorded yet: counted once one is.
    rate = models.ForeignKey(Rate, models.PROTECT, null=True, blank=True, related_name="+")
    campaign_gross = MoneyField(null=True, blank=True)
    campaign_net = MoneyField(null=True, blank=True)
    # A refund is a negative entry pointing at what it gives back.
    refund_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    counted_by = models.CharField(_("who counted it"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source_import = models.ForeignKey(
        DonationImport, models.PROTECT, null=True, blank=True, related_name="donations"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The cash form's one-time key: the same form sent twice (a double tap, the back button)
    # saves one donation, refused by the database rather than by luck.
    entry_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["chapter", "received_on"])]
        constraints = [
            # The provider's reference counts a donation once, however often it arrives.
            models.UniqueConstraint(
                fields=["chapter", "provider", "reference"],
                condition=~Q(reference=""),
                name="donation_reference_once",
            ),
            # Rounded because SQLite subtracts these as floating point (2.01 - 0.50 is
            # 1.5099999…): without it a good row is refused, or skipped by an import.
            models.CheckConstraint(
                condition=Q(net=Round(F("gross") - F("fees"), 2)),
                name="donation_net_is_gross_less_fees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gross} {self.currency} to {self.chapter_id}"


class ProviderMapping(models.Model):
    """Which column of one payment provider's export holds what, set once per campaign.

    Columns are named by their heading in the export's first row. A currency comes from a
    column or is fixed; a refund is a negative amount, or a row whose refund column holds
    `refund_value`.
    """

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="provider_mappings")
    provider = models.CharField(_("payment provider"), max_length=80)
    date_column = models.CharField(_("column with the date"), max_length=80)
    date_format = models.CharField(
        _("how the date is written"),
        max_length=40,
        default="%Y-%m-%d",
        help_text=_("For example %d/%m/%Y for 31/12/2026."),
    )
    amount_column = models.CharField(_("column with the amount"), max_length=80)
    currency_column = models.CharField(_("column with the currency"), max_length=80, blank=True)
    currency = models.CharField(
        _("or one currency for every row"), max_length=3, blank=True, validators=[currency_code]
    )
    reference_column = models.CharField(_("column with the reference"), max_length=80)
    fees_column = models.CharField(_("column with the fees"), max_length=80, blank=True)
    refund_column = models.CharField(_("column saying it is a refund"), max_length=80, blank=True)
    refund_value = models.CharField(
        _("what that column says for a refund"), max_length=80, blank=True
    )

    class Meta:
        ordering = ["provider"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "provider"], name="provider_mapping_once"),
        ]

    def __str__(self) -> str:
        return self.provider


class ImportDraft(models.Model):
    """An uploaded export between its preview and "Import": a short-lived server-side copy.

    Kept here rather than sent back through the browser, so what is imported is exactly what
    was previewed, and nobody can alter the rows between the two.
    """

    chapter = models.ForeignKey(Chapter, models.CASCADE, related_name="+")
    provider = models.CharField(max_length=80)
    file_name = models.CharField(max_length=200)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.file_name


def money_changed(campaign_id: int) -> None:
    """Say the campaign's money moved, inside the transaction that moved it."""
    Campaign.objects.filter(pk=campaign_id).update(money_version=F("money_version") + 1)
