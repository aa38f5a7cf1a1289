from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.lib.rows import QuickRows


class Pairing(models.Model):
    """One surgeon sitting alongside one person on the day, from pairing until done."""

    session = models.ForeignKey("surgeries.Session", models.CASCADE, related_name="pairings")
    person = models.ForeignKey("bookings.Booking", models.CASCADE, related_name="pairings")
    surgeon = models.ForeignKey(
        "bookings.Booking", models.CASCADE, related_name="pairings_as_surgeon"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            # At most one open pairing per person and per surgeon: a second tap on "pair"
            # from another organiser's phone fails instead of double-booking someone.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(ended_at=None), name="pairing_person_open"
            ),
            models.UniqueConstraint(
                fields=["surgeon"], condition=models.Q(ended_at=None), name="pairing_surgeon_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.surgeon.name} with {self.person.name}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return max(round((self.ended_at - self.started_at).total_seconds() / 60), 1)


class HelpRecord(QuickRows, models.Model):
    """What was done for one person at one session: the source of every impact figure."""

    session = models.ForeignKey("surgeries.Session", models.CASCADE, related_name="help_records")
    booking = models.ForeignKey(
        "bookings.Booking",
        models.CASCADE,
        related_name="help_received",
        verbose_name=_("person helped"),
    )
    surgeon = models.ForeignKey(
        "bookings.Booking",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_given",
        verbose_name=_("surgeon who helped"),
    )
    pairing = models.OneToOneField(
        Pairing, models.SET_NULL, null=True, blank=True, related_name="help_record"
    )
    topics = models.ManyToManyField("surgeries.Topic", blank=True, related_name="help_records")
    note = models.TextField(_("what was done"))
    minutes = models.PositiveSmallIntegerField(_("minutes spent"), null=True, blank=True)
    public = models.BooleanField(_("the person agreed this may be shown publicly"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Its surgery's organisers may put it right for this long; after that the figures that
    # counted it (reports already sent to funders) must not move under people's feet.
    EDITABLE_FOR = dt.timedelta(days=30)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Help for {self.booking.name} at {self.session}"

    @property
    def editable_until(self) -> dt.datetime:
        return self.created_at + self.EDITABLE_FOR

    @property
    def is_editable(self) -> bool:
        return timezone.now() < self.editable_until


class ConsoleAction(models.Model):
    """One tap on the session console, kept so it can be undone for the rest of that day.

    The audit log says who did what; this says what to put back. A walk-in or a pairing that
    is undone is deleted, and its action with it.
    """

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Checked in")
        GIVE_PLACE = "give_place", _("Gave a place from the waiting list")
        WALK_IN = "walk_in", _("Added a walk-in")
        PAIR = "pair", _("Paired")
        END = "end", _("Done")

    session = models.ForeignKey("surgeries.Session", models.CASCADE, related_name="console_actions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    booking = models.ForeignKey("bookings.Booking", models.CASCADE, null=True, related_name="+")
    pairing = models.ForeignKey(Pairing, models.CASCADE, null=True, related_name="+")
    # The booking's status before a check-in: booked, or on the waiting list.
    status_before = models.CharField(max_length=10, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%H:%M}"

    @property
    def can_undo(self) -> bool:
        """Until midnight (UK time) on the day it was done, and only once."""
        return self.undone_at is None and (
            timezone.localdate(self.created_at) == timezone.localdate()
        )


class HelpLink(models.Model):
    """A site, page or account set up or improved: each one counts in the figures."""

    help_record = models.ForeignKey(HelpRecord, models.CASCADE, related_name="links")
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class FollowUp(models.Model):
    """Six weeks on: is the person still using what was set up, and how confident are they?"""

    class StillUsing(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("A bit")
        NO = "no", _("No")

    help_record = models.OneToOneField(HelpRecord, models.CASCADE, related_name="follow_up")
    still_using = models.CharField(max_length=10, choices=StillUsing.choices)
    confidence_before = models.PositiveSmallIntegerField()
    confidence_now = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Follow-up on {self.help_record}"


class StoryQuerySet(models.QuerySet):
    def public(self) -> StoryQuerySet:
        # Both, always: a published story whose consent was later withdrawn is not shown.
        return self.filter(consent=True, published_at__isnull=False)


class Story(models.Model):
    """What some of the people helped went on to do, told by the surgery's hosts."""

    surgery = models.ForeignKey("surgeries.Surgery", models.CASCADE, related_name="stories")
    organisation = models.ForeignKey(
        "surgeries.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("group"),
    )
    help_records = models.ManyToManyField(
        HelpRecord, blank=True, related_name="stories", verbose_name=_("help it follows on from")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("story"))
    consent = models.BooleanField(
        _("the person it is about agreed it can be shown publicly"), default=False
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.consent and self.published_at is not None


class TopicHelped(models.Model):
    """A topic a surgery's surgeons offered to help with, or recorded help with, and the
    date of the last session where they did (an offer for a session to come included):
    kept for the directory's search by topic (helprecords/topics.py)."""

    surgery = models.ForeignKey("surgeries.Surgery", models.CASCADE, related_name="+")
    topic = models.ForeignKey("surgeries.Topic", models.CASCADE, related_name="+")
    last_date = models.DateField()

    class Meta:
        constraints = [
            # Also the search's index: a topic's surgeries.
            models.UniqueConstraint(fields=["topic", "surgery"], name="topic_helped_unique")
        ]
        indexes = [
            # A topic's surgeries helped since a date, read from the index alone: the count
            # of a common topic's 4,600 surgeries on the large tier read each row from the
            # table to see its date (5.5-6.8 ms, 2.8 ms from this).
            models.Index(fields=["topic", "last_date", "surgery"], name="topic_helped_since_idx")
        ]

    def __str__(self) -> str:
        return f"surgery {self.surgery_id} helped with topic {self.topic_id} on {self.last_date}"


class TopicsCounted(models.Model):
    """How far the change log had got for a surgery when its topics were last worked out.

    The number of rows as well as the last one, as for the people's roll-up: ids are
    handed out when rows are inserted, not when they are committed. The row for surgery 0
    says whether every surgery has been worked out yet, and when a worker was last asked.
    """

    surgery_id = models.BigIntegerField(primary_key=True)
    changes = models.PositiveIntegerField()
    last_change = models.BigIntegerField()
    asked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"surgery {self.surgery_id} at change {self.last_change}"
