"""The volunteers' hub: the planning checklist, announcements, resources and what worked.

The campaign team keeps one planning template (`PlanStep`, "weeks before the day"); each
chapter gets its own copy (`ChapterTask`) with dates worked out from the campaign's first
day, ticks them off and adds its own. Announcements go to chapter leads (or every volunteer)
through the outbox; resources are guidance sheets and links; stories of what worked are shown
only once the team has approved them, and only as widely as their writer agreed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.campaigns.models.campaign import (
    Campaign,
    Chapter,
    ChapterStatus,
    ChapterVolunteer,
    VolunteerRole,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

# From half a year before the day to a month after it: "2–3 months" is the advice, but
# a venue for 200 people may need booking sooner, and thank-yous come afterwards.
WEEKS_BEFORE_MOST = 26
WEEKS_AFTER_MOST = 4

# The suggested plan, offered to a team whose template is empty.
SUGGESTED_PLAN: list[tuple[int, _StrOrPromise, _StrOrPromise]] = [
    (10, _("Find a venue"), _("Somewhere with room, a welcome and, if you can, wifi.")),
    (8, _("Set up how people can give"), _("Cash tins, a giving page, and who counts the cash.")),
    (6, _("Start the publicity"), _("Posters, social media, local radio and papers.")),
    (2, _("Brief the volunteers"), _("Who does what on the night, and who to call.")),
    (-1, _("Say thank you"), _("To everyone who came, gave and helped.")),
]


def when_label(weeks_before: int) -> str:
    if weeks_before == 0:
        return str(_("On the day"))
    if weeks_before > 0:
        n = weeks_before
        return ngettext("%(n)d week before", "%(n)d weeks before", n) % {"n": n}
    n = -weeks_before
    return ngettext("%(n)d week after", "%(n)d weeks after", n) % {"n": n}


class PlanStep(models.Model):
    """One step in the campaign's planning template, so many weeks before the first day."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="plan_steps")
    title = models.CharField(_("what to do"), max_length=120)
    detail = models.CharField(_("a few words more (optional)"), max_length=300, blank=True)
    # Negative for weeks after the day (the thank-yous).
    weeks_before = models.SmallIntegerField(_("when"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-weeks_before", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self) -> str:
        return when_label(self.weeks_before)

    def due_on(self, campaign: Campaign) -> dt.date:
        return campaign.starts_on - dt.timedelta(weeks=self.weeks_before)


class ChapterTask(models.Model):
    """A chapter's own copy of a step, or a task the chapter added itself."""

    chapter = models.ForeignKey(Chapter, models.CASCADE, related_name="tasks")
    # Empty for the chapter's own tasks, and for a done one whose step the team removed.
    step = models.ForeignKey(
        PlanStep, models.SET_NULL, null=True, blank=True, related_name="chapter_tasks"
    )
    title = models.CharField(_("what to do"), max_length=120)
    detail = models.CharField(max_length=300, blank=True)
    due_on = models.DateField(_("by when (optional)"), null=True, blank=True)
    # Its date had passed when the chapter joined (a short run): offered, never expected.
    if_you_can = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "step"],
                condition=models.Q(step__isnull=False),
                name="chapter_task_one_per_step",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_done and self.due_on is not None and self.due_on < today


class Audience(models.TextChoices):
    LEADS = "leads", _("Chapter leads")
    EVERYONE = "everyone", _("Every chapter volunteer")


class Announcement(models.Model):
    """News from the campaign team, emailed once to each person and listed in every hub."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="announcements")
    subject = models.CharField(_("subject"), max_length=120)
    body = models.TextField(_("message"))
    audience = models.CharField(
        _("send to"), max_length=10, choices=Audience.choices, default=Audience.LEADS
    )
    # Carried by the preview's form: pressing "Send" twice, or going back and sending
    # again, finds the announcement already made instead of making a second.
    nonce = models.UUIDField(default=uuid.uuid4, unique=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    @staticmethod
    def volunteers_for(campaign: Campaign, audience: str) -> models.QuerySet[ChapterVolunteer]:
        """Who it goes to: the leads (or every volunteer) of the campaign's approved chapters."""
        volunteers = ChapterVolunteer.objects.filter(
            chapter__campaign=campaign, chapter__status=ChapterStatus.APPROVED
        )
        if audience == Audience.LEADS:
            volunteers = volunteers.filter(role=VolunteerRole.LEAD)
        return volunteers


class Resource(models.Model):
    """A guidance sheet or a link the team recommends to every chapter."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="resources")
    sheet = models.ForeignKey(
        "guidance.Sheet", models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    url = models.URLField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "sheet"],
                condition=models.Q(sheet__isnull=False),
                name="resource_sheet_once",
            ),
            models.CheckConstraint(
                condition=models.Q(sheet__isnull=False) | ~models.Q(url=""),
                name="resource_sheet_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.sheet.title if self.sheet_id else self.title  # type: ignore[union-attr]

    @property
    def href(self) -> str:
        return self.sheet.get_absolute_url() if self.sheet_id else self.url  # type: ignore[union-attr]


class StoryStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the campaign team")
    APPROVED = "approved", _("Shown")
    HIDDEN = "hidden", _("Hidden")


class ChapterStoryQuerySet(models.QuerySet):
    def for_chapters(self) -> ChapterStoryQuerySet:
        return self.filter(status=StoryStatus.APPROVED, for_chapters=True)

    def public(self) -> ChapterStoryQuerySet:
        return self.filter(status=StoryStatus.APPROVED, public=True)


class ChapterStory(models.Model):
    """What worked in one chapter, told by one of its volunteers for the others."""

    chapter = models.ForeignKey(Chapter, models.CASCADE, related_name="stories")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("what worked"), max_length=3000)
    link = models.URLField(_("a link (optional)"), max_length=300, blank=True)
    # Two separate agreements, neither ticked for the writer.
    for_chapters = models.BooleanField(default=False)
    public = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=StoryStatus.choices, default="waiting")
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ChapterStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "chapter stories"

    def __str__(self) -> str:
        return self.title
