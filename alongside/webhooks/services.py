"""Adding, re-keying and removing a surgery's webhooks, each audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from alongside.accounts.models import audit
from alongside.surgeries.models import Surgery
from alongside.webhooks.models import Endpoint, new_secret


def endpoint_add(*, surgery: Surgery, url: str, events: Iterable[str], actor) -> Endpoint:
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            surgery=surgery, url=url, events=sorted(events), created_by=actor
        )
        audit("webhook.add", endpoint, actor=actor, surgery_id=surgery.pk, events=endpoint.events)
    return endpoint


def endpoint_roll_secret(*, endpoint: Endpoint, actor) -> Endpoint:
    """A new secret; the old one stops working at once."""
    with transaction.atomic():
        endpoint.secret = new_secret()
        endpoint.save(update_fields=["secret"])
        audit("webhook.roll_secret", endpoint, actor=actor, surgery_id=endpoint.surgery_id)
    return endpoint


def endpoint_remove(*, endpoint: Endpoint, actor) -> None:
    with transaction.atomic():
        audit("webhook.remove", endpoint, actor=actor, surgery_id=endpoint.surgery_id)
        endpoint.delete()
