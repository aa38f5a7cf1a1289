"""Emails about a person's own data, sent by the task worker after the request commits."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from alongside.accounts.consents import DATA_LINK_HOURS, data_token
from alongside.accounts.models import PersonKey
from alongside.lib import site
from alongside.outbox import emails


@task()
def send_data_link(person_key_id: int, hour: str) -> None:
    """The link to download or erase someone's data. At most one an hour per address."""
    key = PersonKey.objects.filter(pk=person_key_id).first()
    if key is None:  # erased in the meantime
        return
    url = site.absolute(reverse("privacy_data", args=[data_token(key)]))
    ctx = {"data_url": url, "hours": DATA_LINK_HOURS}
    emails.send("privacy-link", key.email, ctx, key=f"privacy-link:{key.pk}:{hour}")
