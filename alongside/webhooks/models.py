from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Event(models.TextChoices):
    BOOKING_MADE = "booking.made", _("Someone booked (a place, or a place on the waiting list)")
    BOOKING_CANCELLED = "booking.cancelled", _("A booking was cancelled")
    BOOKING_PROMOTED = "booking.promoted", _("Someone on the waiting list got a place")
    HELP_RECORDED = "help.recorded", _("Help was recorded")


class Endpoint(models.Model):
    """An address on the organiser's own server that hears about their surgery's bookings.

    Each delivery is signed with `secret`, which only the organiser sees, once, when it is
    made. After FAILING_AFTER deliveries in a row that gave up, the endpoint is shown as
    failing; one that goes through clears it.
    """

    FAILING_AFTER = 3

    surgery = models.ForeignKey("surgeries.Surgery", models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100, default=new_secret)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def is_failing(self) -> bool:
        return self.failing_since is not None

    def event_labels(self) -> list[str]:
        return [str(Event(e).label) for e in self.events if e in Event.values]


class Delivery(models.Model):
    """One event on its way to one endpoint: pending (tried, and retried with backoff), then
    delivered or failed (gave up after the last retry)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("gave up")

    endpoint = models.ForeignKey(Endpoint, models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=Event.choices)
    payload = models.JSONField()
    # The booking it is about, so erasing a person's data can find their deliveries.
    booking_id = models.IntegerField(null=True, blank=True, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log")]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id}"
