"""Roles in the network beyond organising one surgery: area coordinators, and invitations."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.lib import tokens

# Long enough to come back from a fortnight away, short enough that an old email is not a key.
INVITATION_DAYS = 14


class Coordinator(models.Model):
    """A person who looks after the surgeries of an area, and of every area inside it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="coordinator_roles"
    )
    area = models.ForeignKey("surgeries.Area", models.CASCADE, related_name="coordinators")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "area"], name="coordinator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} coordinates {self.area}"


def _nonce() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """An emailed invitation to organise a surgery or coordinate an area.

    The link carries a signed (invitation, nonce) pair, so nothing secret is stored: resending
    draws a new nonce, which makes the earlier link stop working.
    """

    class Kind(models.TextChoices):
        ORGANISER = "organiser", _("Organiser")
        COORDINATOR = "coordinator", _("Coordinator")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField(_("email address"))
    surgery = models.ForeignKey(
        "surgeries.Surgery", models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    area = models.ForeignKey(
        "surgeries.Area", models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nonce = models.CharField(max_length=40, default=_nonce)
    created_at = models.DateTimeField(default=timezone.now)
    # Invitations to organise a proposed surgery wait for its approval before they go out.
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="organiser", surgery__isnull=False, area__isnull=True)
                    | models.Q(kind="coordinator", surgery__isnull=True, area__isnull=False)
                ),
                name="invitation_kind_target",
            ),
            # One open invitation per address and surgery (or area): inviting again resends it.
            models.UniqueConstraint(
                Lower("email"),
                "surgery",
                condition=models.Q(
                    accepted_at__isnull=True, withdrawn_at__isnull=True, surgery__isnull=False
                ),
                name="invitation_open_surgery_unique",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "area",
                condition=models.Q(
                    accepted_at__isnull=True, withdrawn_at__isnull=True, area__isnull=False
                ),
                name="invitation_open_area_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.surgery or self.area}"

    def get_absolute_url(self) -> str:
        return reverse("invitation", args=[self.token()])

    @property
    def target(self):
        return self.surgery if self.kind == self.Kind.ORGANISER else self.area

    @property
    def expires_at(self) -> dt.datetime | None:
        if self.sent_at is None:
            return None
        return self.sent_at + dt.timedelta(days=INVITATION_DAYS)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def token(self) -> str:
        return tokens.sign_row(tokens.INVITATION, self.pk, self.nonce)

    @classmethod
    def from_token(cls, token: str) -> Invitation | None:
        # A resent invitation has a new nonce: the older link no longer opens it.
        return tokens.open_row(
            tokens.INVITATION, token, cls.objects.select_related("surgery", "area")
        )
