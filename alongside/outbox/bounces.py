"""Addresses mail cannot reach: a permanent refusal from the mail server, a bounce or a
spam complaint reported by the email provider (django-anymail's tracking webhooks).

Such an address is not sent to again (`emails.send` skips it), and organisers see a marker
beside the person on "who is coming". An organiser clears the marker once the address is
fixed; a new booking does not clear it, as nothing shows the address works until mail
gets through.
"""

from __future__ import annotations

import logging
import smtplib

from anymail.signals import AnymailTrackingEvent, EventType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from alongside.accounts.models import audit
from alongside.outbox.models import Undeliverable

logger = logging.getLogger(__name__)

# What the provider reports that means "do not send here again". Soft bounces ("deferred")
# are the provider's own retries, not ours to act on.
PERMANENT_EVENTS = {
    EventType.BOUNCED: Undeliverable.Source.BOUNCE,
    EventType.REJECTED: Undeliverable.Source.BOUNCE,
    EventType.COMPLAINED: Undeliverable.Source.COMPLAINT,
}


def is_permanent(error: Exception) -> bool:
    """A 5xx answer from the mail server: trying again will get the same answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def mark(*, email: str, reason: str, source: str) -> None:
    """Record the address as undeliverable (the first reason stays)."""
    email = email.strip()
    if not email:
        return
    with transaction.atomic():
        if not Undeliverable.objects.filter(email__iexact=email).exists():
            Undeliverable.objects.create(email=email, reason=reason[:1000], source=source)
    logger.warning("An address was marked undeliverable (%s)", source)


def is_undeliverable(email: str) -> bool:
    return bool(email) and Undeliverable.objects.filter(email__iexact=email.strip()).exists()


def bouncing(field: str) -> Exists:
    """Whether the address in a row's `field` is undeliverable, as part of the query that
    reads the rows: found by the index on the lower-cased address."""
    return Exists(
        Undeliverable.objects.annotate(lower=Lower("email")).filter(lower=Lower(OuterRef(field)))
    )


def clear(*, email: str, actor, surgery_id: int | None = None) -> bool:
    """An organiser says the address works now: send to it again. True if there was a marker."""
    with transaction.atomic():
        rows = list(Undeliverable.objects.filter(email__iexact=email.strip()))
        for row in rows:
            audit("undeliverable.clear", row, actor=actor, surgery_id=surgery_id)
            row.delete()
    return bool(rows)


def _soft(event: AnymailTrackingEvent) -> bool:
    """A bounce the provider itself says may pass (a full mailbox): anymail calls some of
    these "bounced" too. Postmark says so in its Type, Amazon SES in its bounce type."""
    esp_type = event.esp_event.get("Type") if isinstance(event.esp_event, dict) else None
    return esp_type == "SoftBounce" or (event.description or "").startswith("Transient")


def tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """anymail's tracking signal: one event from the email provider's webhook."""
    source = PERMANENT_EVENTS.get(event.event_type)
    if source is None or not event.recipient or _soft(event):
        return
    why = event.description or event.mta_response or event.reject_reason or event.event_type
    mark(email=event.recipient, reason=f"{esp_name}: {why}", source=source)
