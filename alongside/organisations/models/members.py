"""Members of an organisation: their roles, teams and invitations."""

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


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    STAFF = "staff", _("Staff")
    TRUSTEE = "trustee", _("Trustee")
    VOLUNTEER = "volunteer", _("Volunteer")
    MEMBER = "member", _("Member")


class Team(models.Model):
    """A small group inside an organisation: "Community development", "The board"."""

    organisation = models.ForeignKey("surgeries.Organisation", models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("name"), name="team_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's place in an organisation: their role, and the team they are in."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="organisation_memberships"
    )
    # The name the organisation knows them by, shown to the other members.
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    team = models.ForeignKey(
        Team, models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} in {self.organisation_id}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """An emailed invitation to join an organisation, with a role and a team.

    As with invitations to organise a surgery, the link carries a signed (invitation, nonce)
    pair: resending draws a new nonce, which makes the earlier link stop working.
    """

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="member_invitations"
    )
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    team = models.ForeignKey(Team, models.SET_NULL, null=True, blank=True, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nonce = models.CharField(max_length=40, default=new_nonce)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open invitation per address and organisation: inviting again resends it.
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=models.Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="member_invitation_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.organisation_id}"

    def get_absolute_url(self) -> str:
        return reverse("member_invitation", args=[self.token()])

    @property
    def expires_at(self) -> dt.datetime:
        return self.sent_at + dt.timedelta(days=INVITATION_DAYS)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def token(self) -> str:
        return tokens.sign_row(tokens.MEMBER_INVITATION, self.pk, self.nonce)

    @classmethod
    def from_token(cls, token: str) -> Invitation | None:
        # A resent invitation has a new nonce: the older link no longer opens it.
        return tokens.open_row(
            tokens.MEMBER_INVITATION, token, cls.objects.select_related("organisation", "team")
        )
