"""Fifty deliveries at once for one chapter, some the same donation: the exact total.

Runs against whichever database the suite uses: CI runs it on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from alongside.campaigns.models import Campaign, Donation
from alongside.campaigns.tests.helpers import (
    make_campaign,
    make_chapter,
    post_webhook,
    webhook_body,
)

DELIVERIES = 50
DISTINCT = 30  # the other 20 repeat one of these, as a retrying provider does


@pytest.mark.slow  # fifty threads, committed transactions
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("topics_put_back")
def test_fifty_simultaneous_deliveries_give_the_exact_total():
    campaign = make_campaign()
    chapter = make_chapter(campaign)
    bodies = [webhook_body(f"PF-{n % DISTINCT}", f"{n % DISTINCT}.37") for n in range(DELIVERIES)]
    start = threading.Barrier(DELIVERIES)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def deliver(n: int) -> None:
        try:
            client = Client()
            start.wait()
            statuses.append(post_webhook(client, chapter, bodies[n]).status_code)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(DELIVERIES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert sorted(statuses) == [200] * (DELIVERIES - DISTINCT) + [201] * DISTINCT
    assert Donation.objects.filter(chapter=chapter).count() == DISTINCT
    expected = sum((Decimal(f"{n}.37") - Decimal("0.50") for n in range(DISTINCT)), Decimal(0))
    total = sum((d.net for d in Donation.objects.filter(chapter=chapter)), Decimal(0))
    assert total == expected
    assert Campaign.objects.get(pk=campaign.pk).money_version == DISTINCT
