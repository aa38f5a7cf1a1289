"""The skills and needs check: rounds, each person's answers, the organisation's scores.

The check is run in rounds, each kept, so change over time can be shown. What each person
said they could help with (`Rating.could_help`) is what mentoring draws on.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models.members import Role, Team


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
