from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HelpRecord(models.Model):
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
    topics = models.ManyToManyField("surgeries.Topic", blank=True, related_name="help_records")
    note = models.TextField(_("what was done"))
    public = models.BooleanField(_("the person agreed this may be shown publicly"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Help for {self.booking.name} at {self.session}"


class HelpLink(models.Model):
    """A site, page or account set up or improved: each one counts in the figures."""

    help_record = models.ForeignKey(HelpRecord, models.CASCADE, related_name="links")
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url
