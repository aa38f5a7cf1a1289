"""An organisation's own space: its members and teams, and its skills and needs check.

The organisation itself is the core's `surgeries.Organisation` (the group named on
bookings); this app gives it members. The check is run in rounds, each kept, so change over
time can be shown. What each person said they could help with (`Rating.could_help`) is what
mentoring will draw on.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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


def _nonce() -> str:
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
    nonce = models.CharField(max_length=40, default=_nonce)
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


# --- The skills and needs check ----------------------------------------------------------------


class OwnTopic(models.Model):
    """A topic an organisation adds to the shared list for its own check: "our Flickr account"."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="own_topics"
    )
    name = models.CharField(_("topic"), max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("name"), name="own_topic_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """One running of the check. An admin opens a round; opening the next closes this one."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="check_rounds"
    )
    number = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="round_number_unique"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(closed_at__isnull=True),
                name="round_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.organisation_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Response(models.Model):
    """One person's answers in one round.

    The team and role are kept as they were when the person answered, so a round's results
    by team do not move when people change teams later. If the person's account goes, the
    answers stay, without them, so the organisation's figures stay the same.
    """

    round = models.ForeignKey(Round, models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="check_responses",
    )
    team = models.ForeignKey(Team, models.SET_NULL, null=True, blank=True, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    # The person's own choice: may the organisation's admins see these answers with their name?
    shared = models.BooleanField(default=False)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=models.Q(user__isnull=False),
                name="response_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Answers in round {self.round_id}"


class Rating(models.Model):
    """How one person rates themselves on one topic: a shared topic or one of the group's own."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="ratings")
    topic = models.ForeignKey(
        "surgeries.Topic", models.CASCADE, null=True, blank=True, related_name="+"
    )
    own_topic = models.ForeignKey(
        OwnTopic, models.CASCADE, null=True, blank=True, related_name="ratings"
    )
    confidence = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    wants_to_learn = models.BooleanField(default=False)
    could_help = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(topic__isnull=False, own_topic__isnull=True)
                    | models.Q(topic__isnull=True, own_topic__isnull=False)
                ),
                name="rating_one_topic",
            ),
            models.UniqueConstraint(fields=["response", "topic"], name="rating_one_per_topic"),
            models.UniqueConstraint(
                fields=["response", "own_topic"], name="rating_one_per_own_topic"
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=1, confidence__lte=5),
                name="rating_confidence_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.confidence}/5"


class MaturityScore(models.Model):
    """The organisation's answer for one area of the matrix in one round: now, and its aim."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="maturity_scores")
    area = models.CharField(max_length=30)  # a key of alongside.organisations.skills.AREAS
    now = models.PositiveSmallIntegerField()
    ambition = models.PositiveSmallIntegerField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "area"]
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="maturity_one_per_area"),
            models.CheckConstraint(
                condition=models.Q(now__gte=1, now__lte=4, ambition__gte=1, ambition__lte=4),
                name="maturity_steps_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.now} now, {self.ambition} aim"
