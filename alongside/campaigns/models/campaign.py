"""A campaign, the team that runs it, and its chapters with their volunteers."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.lib import tokens

# ISO 4217 codes: three capital letters (GBP, EUR, USD, CAD). Which ones exist is not
# checked against a list: a campaign may take a currency we have never seen.
currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use the three-letter code, such as GBP or EUR."))
country_code = RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter code, such as GB or CA."))


class MoneyField(models.DecimalField):
    """An amount up to 9,999,999,999.99 in any currency, to the penny or cent: a Decimal."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


def check_time_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
        raise ValidationError(_("Choose a time zone such as Europe/London.")) from e


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Campaign(models.Model):
    """One cause, run in many places at once: a night in 175 cities, a week of surgeries."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(unique=True, max_length=80)
    cause = models.TextField(
        _("the cause"), help_text=_("What the money is for, and where it goes.")
    )
    beneficiary = models.CharField(_("the charity it raises money for"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    currency = models.CharField(
        _("campaign currency"), max_length=3, validators=[currency_code], default="GBP"
    )
    target = MoneyField(_("target"), validators=[MinValueValidator(Decimal("0"))])
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMember", related_name="campaigns_run", blank=True
    )
    # Moved by every donation written (money.money_changed), in the same transaction: the
    # live total is kept under this number, so it is counted once per change, not per viewer.
    money_version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaign", args=[self.slug])

    @property
    def is_running(self) -> bool:
        return self.starts_on <= timezone.localdate() <= self.ends_on

    @property
    def is_coming(self) -> bool:
        return timezone.localdate() < self.starts_on

    @property
    def is_over(self) -> bool:
        return self.ends_on < timezone.localdate()


class TeamMember(models.Model):
    """Someone on the campaign's team: approves chapters, enters rates, writes to leads."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="team_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="campaign_team_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.campaign_id}"


class ChapterStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the campaign team")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Not this time")


class Chapter(models.Model):
    """The campaign in one city, run by its volunteers, with its own target and currency."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="chapters")
    city = models.CharField(_("city or town"), max_length=120)
    country = models.CharField(_("country"), max_length=2, validators=[country_code])
    slug = models.SlugField(max_length=80)
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[check_time_zone], default="Europe/London"
    )
    currency = models.CharField(
        _("local currency"), max_length=3, validators=[currency_code], default="GBP"
    )
    target = MoneyField(
        _("target, in the local currency"), validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(
        max_length=10, choices=ChapterStatus.choices, default=ChapterStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The name the proposer gave, for their place as lead once the chapter is approved.
    proposer_name = models.CharField(_("your name"), max_length=120, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Signs the chapter's live donation stream (the webhook). Replaced, never shown twice.
    webhook_secret = models.CharField(max_length=64, default=new_secret)
    # Holds the chapter's local events as sessions, so people book them as any session;
    # made on first use (events.py), never listed as a surgery.
    host = models.OneToOneField(
        "surgeries.Surgery",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_chapter",
    )
    volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ChapterVolunteer", related_name="chapters", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["city"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="chapter_slug_unique"),
            models.UniqueConstraint(
                "campaign", Lower("city"), "country", name="chapter_city_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} in {self.city}"

    def get_absolute_url(self) -> str:
        return reverse("chapter", args=[self.campaign.slug, self.slug])

    @property
    def is_approved(self) -> bool:
        return self.status == ChapterStatus.APPROVED

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def ends_at(self) -> dt.datetime:
        """Midnight at the end of the campaign's last day, in the chapter's own time zone."""
        last = dt.datetime.combine(self.campaign.ends_on + dt.timedelta(days=1), dt.time())
        return last.replace(tzinfo=self.zone)


class VolunteerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    VOLUNTEER = "volunteer", _("Volunteer")


class ChapterVolunteer(models.Model):
    """A person helping to run one chapter: its leads, and the volunteers they invited."""

    chapter = models.ForeignKey(Chapter, models.CASCADE, related_name="chapter_volunteers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(
        _("role"), max_length=10, choices=VolunteerRole.choices, default=VolunteerRole.VOLUNTEER
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "user"], name="chapter_volunteer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} in {self.chapter_id}"

    @property
    def is_lead(self) -> bool:
        return self.role == VolunteerRole.LEAD


# How long a chapter's invitation to volunteer works, from when it was last sent.
INVITATION_DAYS = 14


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class ChapterInvitation(models.Model):
    """An email inviting someone to help run a chapter, as a lead or a volunteer."""

    chapter = models.ForeignKey(Chapter, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    name = models.CharField(_("their name"), max_length=120)
    role = models.CharField(
        _("role"), max_length=10, choices=VolunteerRole.choices, default=VolunteerRole.VOLUNTEER
    )
    # Sending again makes a new nonce: the older link stops working.
    nonce = models.CharField(max_length=32, default=new_nonce)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One open invitation per address and chapter: inviting again sends it again.
            models.UniqueConstraint(
                Lower("email"),
                "chapter",
                condition=models.Q(accepted_at__isnull=True),
                name="chapter_invitation_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.chapter_id}"

    def get_absolute_url(self) -> str:
        return reverse("chapter_invitation", args=[self.token()])

    @property
    def expires_at(self) -> dt.datetime:
        return self.sent_at + dt.timedelta(days=INVITATION_DAYS)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def token(self) -> str:
        return tokens.sign_row(tokens.CHAPTER_INVITATION, self.pk, self.nonce)

    @classmethod
    def from_token(cls, token: str) -> ChapterInvitation | None:
        return tokens.open_row(
            tokens.CHAPTER_INVITATION, token, cls.objects.select_related("chapter__campaign")
        )
