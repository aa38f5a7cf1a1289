from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Message(models.Model):
    """One email on its way out: queued → sending → sent, or failed after every retry.

    A worker takes a queued message by moving it to *sending* with a lease; a worker killed
    mid-send leaves it *sending* past its lease, and the next sweep queues it again. The
    Message-ID is fixed when the message is queued, so a resend after such a crash carries
    the same one and the receiving server (and our tests) can count it once.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        SENDING = "sending", "sending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed (gave up)"

    key = models.CharField(max_length=100, unique=True)
    message_id = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # What to send. Emptied once sent: the outbox is not an archive of people's email.
    to = models.EmailField(blank=True)
    subject = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)

    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_state_due")]

    def __str__(self) -> str:
        return self.key


class Claim(models.Model):
    """One row per thing that must happen at most once: a message ("reminder:booking:42") or
    a day's run of the daily jobs ("daily:2026-12-05").

    The unique key is the claim: a second worker that tries the same fails to insert and
    skips it. Inserted in the same transaction as the work, so work that fails is retried.
    """

    key = models.CharField(max_length=100, unique=True)
    claimed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class Unsubscribe(models.Model):
    """An address that asked for no more of one kind of email (call-outs, digests)."""

    email = models.EmailField()
    kind = models.CharField(max_length=30)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "kind"], name="unsubscribe_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.email} from {self.kind}"


class Undeliverable(models.Model):
    """An address mail cannot reach: the mail server refused it for good, or it bounced or
    complained through the email provider's webhook.

    `emails.send` skips it, and organisers see a marker beside the person, so they can ask
    for a new address. Only an organiser clears it (once the person gives an address that
    works, or says this one is fixed): a new booking with the same address does not, as
    nothing proves the address works until mail gets through.
    """

    class Source(models.TextChoices):
        SMTP = "smtp", "refused by the mail server"
        BOUNCE = "bounce", "bounced"
        COMPLAINT = "complaint", "marked as spam"

    email = models.EmailField()
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="undeliverable_unique_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.source})"
