"""Digital mentors: a member who could help, paired with one who wants to learn.

A pairing is offered (by an admin, or asked for by the learner), then the mentor accepts
or declines; once accepted, the two meet and record what they did, as a surgeon records
help at a surgery, until one of them marks it done. Suggestions are worked out, never
stored: only offered pairings are rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models.check import OwnTopic
from alongside.organisations.models.members import Membership

# Still going: these count towards a mentor's workload.
OPEN_STATUSES = ("offered", "accepted")


class MentorPairing(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Under way")
        DECLINED = "declined", _("Not this time")
        COMPLETED = "completed", _("Done")

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="mentor_pairings"
    )
    mentor = models.ForeignKey(Membership, models.CASCADE, related_name="mentoring")
    learner = models.ForeignKey(Membership, models.CASCADE, related_name="mentored")
    topic = models.ForeignKey(
        "surgeries.Topic", models.CASCADE, null=True, blank=True, related_name="+"
    )
    own_topic = models.ForeignKey(
        OwnTopic, models.CASCADE, null=True, blank=True, related_name="mentor_pairings"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    # The learner themselves, when they asked; otherwise the admin who suggested it.
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Asked of the learner once, when it is done: how confident they feel now (1 to 5).
    confidence_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["-offered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(topic__isnull=False, own_topic__isnull=True)
                    | models.Q(topic__isnull=True, own_topic__isnull=False)
                ),
                name="mentor_pairing_one_topic",
            ),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("learner")), name="mentor_not_own_learner"
            ),
            # One open pairing per learner and topic: a second offer or a double click
            # finds the first.
            models.UniqueConstraint(
                fields=["learner", "topic"],
                condition=models.Q(status__in=OPEN_STATUSES, topic__isnull=False),
                name="mentor_pairing_open_topic",
            ),
            models.UniqueConstraint(
                fields=["learner", "own_topic"],
                condition=models.Q(status__in=OPEN_STATUSES, own_topic__isnull=False),
                name="mentor_pairing_open_own_topic",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence_after__isnull=True)
                | models.Q(confidence_after__gte=1, confidence_after__lte=5),
                name="mentor_confidence_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Mentoring {self.pk} in {self.organisation_id}"

    @property
    def topic_name(self) -> str:
        return (self.topic or self.own_topic).name  # type: ignore[union-attr]

    @property
    def topic_key(self) -> str:
        """As the check names topics: "t3" for a shared topic, "o7" for the group's own."""
        return f"t{self.topic_id}" if self.topic_id else f"o{self.own_topic_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def asked_by_learner(self) -> bool:
        return self.offered_by_id is not None and self.offered_by_id == self.learner.user_id

    def side(self, user_id: int) -> str | None:
        """ "mentor", "learner", or None for anyone else."""
        if self.mentor.user_id == user_id:
            return "mentor"
        if self.learner.user_id == user_id:
            return "learner"
        return None


class MentorMeeting(models.Model):
    """One time a mentor and learner met: what they did, like a surgery's record of help.

    Only the two of them see its notes; the organisation's figures count its minutes.
    """

    pairing = models.ForeignKey(MentorPairing, models.CASCADE, related_name="meetings")
    met_on = models.DateField(_("when you met"), default=timezone.localdate)
    note = models.TextField(_("what you worked on, and what you got done"))
    minutes = models.PositiveSmallIntegerField(_("minutes spent"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["met_on", "pk"]

    def __str__(self) -> str:
        return f"Meeting on {self.met_on} for mentoring {self.pairing_id}"
