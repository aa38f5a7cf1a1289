"""Sending deliveries: signed POSTs from the worker, retried with backoff.

A delivery is taken with a conditional UPDATE that moves its next attempt a lease ahead,
so two workers never both send it, and a worker killed mid-send leaves it to be tried again
once the lease runs out. It is sent through alongside/lib/fetcher.py, which refuses private
and loopback addresses (checked after DNS, on a pinned connection) and follows no redirect
here. A 2xx answer is delivered; anything else is tried again after RETRY_DELAYS, then
given up.

The signature (headers `Alongside-Signature: t=<unix time>,v1=<hex>`) is HMAC-SHA256 with
the endpoint's secret over "<t>.<body>", as Stripe's: the receiver checks it and that t is
recent, so a captured delivery cannot be replayed later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from alongside.lib import fetcher
from alongside.webhooks.models import Delivery, Endpoint

logger = logging.getLogger(__name__)

# 1 minute, 5 minutes, half an hour, 2 hours, 12 hours: 6 tries over about 15 hours.
RETRY_DELAYS = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
LEASE = dt.timedelta(minutes=2)
TIMEOUT = 10.0
# A webhook is a request we make, not a page we read: no wait between requests to one host.
NO_WAIT = fetcher.HostRate(0)


def sign(secret: str, body: bytes, at: int) -> str:
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (the help on the webhooks page shows the same in a snippet)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        at = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, at), f"t={at},v1={parts.get('v1', '')}")


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def _post(endpoint: Endpoint, delivery: Delivery) -> int:
    """The status code of the endpoint's answer, or FetchError."""
    body = body_of(delivery)
    at = int(timezone.now().timestamp())
    response = fetcher.fetch(
        endpoint.url,
        method="POST",
        body=body,
        headers={
            "Content-Type": "application/json",
            "Alongside-Event": delivery.event,
            "Alongside-Delivery": str(delivery.pk),
            "Alongside-Signature": sign(endpoint.secret, body, at),
        },
        rate=NO_WAIT,
        agent=f"Alongside webhooks (+{settings.SITE_ROOT}/)",
        max_bytes=10_000,
        truncate=True,
        timeout=TIMEOUT,
        follow_redirects=False,
    )
    return response.status


def deliver(delivery_id: int) -> bool:
    """Send one pending delivery that is due. True if the endpoint took it."""
    now = timezone.now()
    taken = Delivery.objects.filter(
        pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    if not taken:
        return False
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    status: int | None = None
    try:
        status = _post(endpoint, delivery)
        error = "" if 200 <= status < 300 else f"answered {status}"
    except fetcher.FetchError as e:
        error = str(e)[:300]
    if not error:
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.DELIVERED,
                status_code=status,
                last_error="",
                delivered_at=timezone.now(),
            )
            Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0, failing_since=None)
        return True
    _failed(delivery, status, error)
    return False


def _failed(delivery: Delivery, status: int | None, error: str) -> None:
    if delivery.attempts > len(RETRY_DELAYS):
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.FAILED, status_code=status, last_error=error
            )
            endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
            endpoint.failures_in_a_row += 1
            if endpoint.failures_in_a_row >= Endpoint.FAILING_AFTER and not endpoint.is_failing:
                endpoint.failing_since = timezone.now()
            endpoint.save(update_fields=["failures_in_a_row", "failing_since"])
        logger.warning(
            "Gave up on webhook delivery %s after %d attempts", delivery.pk, delivery.attempts
        )
        return
    at = timezone.now() + RETRY_DELAYS[delivery.attempts - 1]
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status_code=status, last_error=error, next_attempt_at=at
        )
        deliver_webhook.using(run_after=at).enqueue(delivery.pk)


@task()
def deliver_webhook(delivery_id: int) -> None:
    deliver(delivery_id)


def forget_old_deliveries(days: int = 30) -> int:
    """Daily: the log keeps a month. Payloads name people, so they are not kept for ever."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    done = Delivery.objects.filter(created_at__lt=cutoff).exclude(state=Delivery.State.PENDING)
    return done.delete()[0]


def requeue_lost(now: dt.datetime | None = None) -> int:
    """Daily: pending deliveries long overdue lost their task (a worker stopped between the
    commit and the queueing). Moving next_attempt_at on stops the next run queuing again."""
    now = now or timezone.now()
    picked = 0
    overdue = Delivery.objects.filter(
        state=Delivery.State.PENDING, next_attempt_at__lt=now - dt.timedelta(hours=1)
    )
    for pk in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            if Delivery.objects.filter(pk=pk, state=Delivery.State.PENDING).update(
                next_attempt_at=now
            ):
                deliver_webhook.enqueue(pk)
                picked += 1
    return picked
