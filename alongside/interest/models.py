"""Interest where there is no surgery yet, and the introductions brokers make from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.lib import tokens


class Interest(models.Model):
    """One person's "I'd come", "I'd help" or "I'd organise" for one place.

    The place is a town or a postcode district, never a full postcode: a district is as
    exact as the map needs, and says nothing about which street someone lives in.
    """

    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    group = models.CharField(_("group"), max_length=200, blank=True)
    place_name = models.CharField(_("place"), max_length=80)
    latitude = models.FloatField()
    longitude = models.FloatField()
    would_come = models.BooleanField(_("would come for help"), default=False)
    would_help = models.BooleanField(_("would help as a surgeon"), default=False)
    would_organise = models.BooleanField(_("would organise one"), default=False)
    consent_contact = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["place_name", "created_at"]
        constraints = [
            # Registering again for the same place updates the same row.
            models.UniqueConstraint(Lower("email"), "place_name", name="interest_unique_ci"),
        ]
        indexes = [models.Index(fields=["place_name"])]

    def __str__(self) -> str:
        return f"Interest in {self.place_name}"

    def get_absolute_url(self) -> str:
        return reverse("interest_thanks", args=[self.token])

    @property
    def token(self) -> str:
        return tokens.sign(tokens.INTEREST, self.pk)

    @classmethod
    def pk_from_token(cls, token: str) -> int | None:
        try:
            return int(tokens.unsign(tokens.INTEREST, token))
        except (TypeError, ValueError):
            return None

    def get_withdraw_url(self) -> str:
        return reverse("interest_withdraw", args=[self.token])

    @property
    def roles(self) -> list[str]:
        labels = [
            (self.would_come, _("I'd come for help")),
            (self.would_help, _("I'd help as a surgeon")),
            (self.would_organise, _("I'd organise one")),
        ]
        return [str(label) for wanted, label in labels if wanted]


class Introduction(models.Model):
    """A broker put one interested person in touch with one surgery. At most once each."""

    interest = models.ForeignKey(Interest, models.CASCADE, related_name="introductions")
    surgery = models.ForeignKey(
        "surgeries.Surgery", models.CASCADE, related_name="interest_introductions"
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["interest", "surgery"], name="introduction_unique"),
        ]

    def __str__(self) -> str:
        return f"Interest #{self.interest_id} put in touch with {self.surgery}"
