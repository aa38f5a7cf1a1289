"""A chapter's live donation stream: a signed POST from a payment provider or a relay.

    POST /campaigns/hooks/<chapter_id>/
    X-Alongside-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>
    {"reference": "…", "amount": "12.50", "currency": "GBP", "fees": "0.66",
     "received_on": "2026-05-04", "provider": "PayFriend"}

The chapter's id is not a secret; its signing secret is. A delivery more than five minutes
old or from the future is refused, so a captured one cannot be replayed later; one replayed
within that time adds nothing, as its reference is already counted. Amounts are strings: a
JSON number would pass through a float.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alongside.campaigns.imports import amount as parse_amount
from alongside.campaigns.models import Chapter
from alongside.campaigns.money import Delivery, webhook_receive

log = logging.getLogger(__name__)

HEADER = "X-Alongside-Signature"
TOLERANCE = 300  # seconds
MAX_BODY = 10_000


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value for a body: what a sender computes, and what we check."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def signature_ok(secret: str, body: bytes, header: str, now: float) -> tuple[bool, str]:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False, "no timestamp"
    if abs(now - timestamp) > TOLERANCE:
        return False, "stale timestamp"
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, parts.get("v1", "")):
        return False, "bad signature"
    return True, ""


def _delivery(body: bytes) -> Delivery:
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    texts: dict[str, str] = {}
    for key in ("reference", "amount", "currency", "received_on"):
        value = data.get(key)
        if not isinstance(value, str):
            raise ValueError("amounts and fields must be strings")
        texts[key] = value
    fees = data.get("fees", "0")
    provider = data.get("provider") or "webhook"
    if not isinstance(fees, str) or not isinstance(provider, str):
        raise ValueError("amounts and fields must be strings")
    reference = texts["reference"].strip()
    currency = texts["currency"].strip().upper()
    if not reference or len(reference) > 120 or len(provider) > 80:
        raise ValueError("reference")
    if len(currency) != 3 or not currency.isalpha():
        raise ValueError("currency")
    try:
        gross, fee = parse_amount(texts["amount"]), parse_amount(fees)
    except (ValueError, InvalidOperation) as e:
        raise ValueError("amount") from e
    if gross == Decimal(0):
        raise ValueError("amount")
    return Delivery(
        reference=reference,
        provider=provider.strip(),
        received_on=dt.date.fromisoformat(texts["received_on"]),
        currency=currency,
        gross=gross,
        fees=fee,
    )


@csrf_exempt  # signed by the chapter's secret instead; no cookie is ever read here
@require_POST
def receive(request: HttpRequest, chapter_id: int) -> HttpResponse:
    chapter = Chapter.objects.select_related("campaign").filter(pk=chapter_id).first()
    if chapter is None or not chapter.is_approved:
        return JsonResponse({"error": "unknown chapter"}, status=404)
    body = request.body
    if len(body) > MAX_BODY:
        return JsonResponse({"error": "too large"}, status=413)
    ok, why = signature_ok(
        chapter.webhook_secret, body, request.headers.get(HEADER, ""), time.time()
    )
    if not ok:
        # Logged without the body: it may carry a donor's details.
        log.warning("Webhook refused for chapter %s: %s", chapter.pk, why)
        return JsonResponse({"error": why}, status=401)
    try:
        delivery = _delivery(body)
    except (ValueError, TypeError, UnicodeDecodeError) as e:
        log.warning("Webhook for chapter %s unreadable: %s", chapter.pk, e)
        return JsonResponse({"error": "unreadable"}, status=400)
    added = webhook_receive(chapter=chapter, delivery=delivery)
    # A replay is a success for the sender: it must stop retrying.
    return JsonResponse({"added": added}, status=201 if added else 200)
