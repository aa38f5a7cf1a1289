"""The escalation route: a member reports something that went wrong or something odd that
arrived, and the organisation's named responders pick it up, record what they did, and close it.

A report is seen by the responders and by the person who made it, nobody else: not other
members, not admins who are not responders, not network admins (organisations/access.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models.members import Membership, Role


class Urgency(models.TextChoices):
    TODAY = "today", _("Today — it is urgent")
    SOON = "soon", _("In the next day or two")
    LATER = "later", _("When someone can")


class Kind(models.TextChoices):
    WENT_WRONG = "went_wrong", _("Something we posted went wrong")
    ARRIVED = "arrived", _("Something odd or worrying arrived")


# Hours to pick a report up, by urgency, until an organisation chooses its own.
DEFAULT_HOURS = {Urgency.TODAY: 2, Urgency.SOON: 24, Urgency.LATER: 72}


class Responder(models.Model):
    """A member the organisation's admins named to pick up reports."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="responders"
    )
    # Taking someone out of the organisation ends their place as a responder too.
    membership = models.OneToOneField(
        "organisations.Membership", models.CASCADE, related_name="responder"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["membership__name", "pk"]

    def __str__(self) -> str:
        return f"responder {self.membership_id} in {self.organisation_id}"


class ResponseTimes(models.Model):
    """How soon a report must be picked up, by urgency: one row per organisation that chose."""

    organisation = models.OneToOneField(
        "surgeries.Organisation", models.CASCADE, related_name="response_times"
    )
    today_hours = models.PositiveSmallIntegerField(
        _("“Today — it is urgent”: hours"), default=DEFAULT_HOURS[Urgency.TODAY]
    )
    soon_hours = models.PositiveSmallIntegerField(
        _("“In the next day or two”: hours"), default=DEFAULT_HOURS[Urgency.SOON]
    )
    later_hours = models.PositiveSmallIntegerField(
        _("“When someone can”: hours"), default=DEFAULT_HOURS[Urgency.LATER]
    )

    def __str__(self) -> str:
        return f"response times of {self.organisation_id}"

    def hours(self, urgency: str) -> int:
        return getattr(self, f"{urgency}_hours")

    @classmethod
    def for_organisation(cls, organisation_id: int) -> ResponseTimes:
        """The organisation's own times, or the defaults (not saved)."""
        found = cls.objects.filter(organisation_id=organisation_id).first()
        return found or cls(organisation_id=organisation_id)


class ReportQuerySet(models.QuerySet):
    def overdue(self, now: dt.datetime | None = None) -> ReportQuerySet:
        return self.filter(acknowledged_at__isnull=True, acknowledge_by__lt=now or timezone.now())

    def open(self) -> ReportQuerySet:
        return self.filter(closed_at__isnull=True)


class Report(models.Model):
    """Something that went wrong, or something odd that arrived, reported by a member."""

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="escalation_reports"
    )
    # The report stays the organisation's record when the person leaves or is erased.
    reporter = models.ForeignKey(
        "organisations.Membership",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_made",
    )
    kind = models.CharField(_("What kind of thing is it?"), max_length=20, choices=Kind.choices)
    what = models.TextField(_("What happened?"), max_length=4000)
    where = models.CharField(_("Where is it?"), max_length=200, blank=True)
    link = models.URLField(_("A link to it (if there is one)"), max_length=500, blank=True)
    urgency = models.CharField(
        _("How soon does someone need to look at it?"),
        max_length=10,
        choices=Urgency.choices,
        default=Urgency.SOON,
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Fixed when the report is made: changing the organisation's times later moves no deadline.
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "organisations.Membership", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the responders were told it is overdue: claimed once, so they are told once.
    overdue_told_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "organisations.Membership", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("How it ended"), max_length=2000, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "closed_at"])]

    def __str__(self) -> str:
        return f"report {self.pk} in {self.organisation_id}"

    def get_absolute_url(self) -> str:
        return reverse("escalation_report", args=[self.organisation.slug, self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.acknowledged_at is None and self.acknowledge_by < timezone.now()

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def status(self) -> str:
        if self.closed_at:
            return str(_("Closed"))
        if self.acknowledged_at:
            return str(_("Picked up"))
        if self.is_overdue:
            return str(_("Waiting — overdue"))
        return str(_("Waiting to be picked up"))


class Step(models.Model):
    """One thing a responder did about a report: "Asked Facebook to take the post down"."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="steps")
    note = models.CharField(_("What was done"), max_length=300)
    by = models.ForeignKey(
        "organisations.Membership", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"step {self.pk} of report {self.report_id}"


def report_readers(organisation_id: int) -> models.QuerySet:
    """The members who see and pick up reports: the responders, or the admins until there are any.

    Reporting works from the first day: a space with nobody named yet still has admins.
    """
    memberships = Membership.objects.filter(organisation_id=organisation_id)
    named = memberships.filter(responder__isnull=False)
    if named.exists():
        return named
    return memberships.filter(role=Role.ADMIN)


def is_report_reader(membership: Membership) -> bool:
    """Whether this member sees reports, in one query (report_readers' rule)."""
    none_named = ~models.Exists(
        Responder.objects.filter(organisation_id=membership.organisation_id)
    )
    rule = models.Q(responder__isnull=False) | (models.Q(role=Role.ADMIN) & none_named)
    return Membership.objects.filter(pk=membership.pk).filter(rule).exists()
