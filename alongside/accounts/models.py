from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who changed what, and when: written by every service that changes shared records."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=50)
    surgery = models.ForeignKey(
        "surgeries.Surgery", models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    object_type = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField()
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} #{self.object_id}"


def audit(
    action: str, obj: models.Model, *, actor=None, surgery_id: int | None = None, **details: object
) -> AuditEntry:
    """Record one change. Call inside the service's transaction so it commits with the change."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        surgery_id=surgery_id,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        details=details,
    )


class ConsentRecord(models.Model):
    """One consent given or withdrawn, with the exact wording the person saw.

    Kept by email address (lower-cased), not by booking: a withdrawal covers every booking,
    record and interest of that address at once. The latest row for an address and kind says
    where that consent stands; see alongside.accounts.consents.
    """

    email = models.EmailField()
    kind = models.CharField(max_length=20)
    given = models.BooleanField(default=True)
    version = models.CharField(max_length=20, blank=True)
    # Where it was given or withdrawn: a booking, an offer to help, a walk-in, interest...
    source = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {'given' if self.given else 'withdrawn'} ({self.source})"


class PersonKey(models.Model):
    """An unguessable key standing for one email address in emailed links.

    Links carry the key, never the address. Deleting the row (when the person is erased or
    anonymised) ends every link that used it.
    """

    email = models.EmailField(unique=True)
    key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"person key #{self.pk}"
