"""On a phone: an organiser adds a webhook, copies its secret and reads the log; the person
whose emails bounce is marked on "who is coming". Both pages pass axe-core at 360 px.

    uv run pytest -n 0 alongside/webhooks/tests/test_webhooks_browser.py
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.bookings.models import Booking
from alongside.browsertest import PageChecks, phone_page
from alongside.outbox import bounces
from alongside.surgeries.models import Session
from alongside.test import make_surgery, make_user
from alongside.webhooks.models import Delivery, Endpoint


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_adds_a_webhook_and_sees_bounces_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    session = Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(18),
        end_time=dt.time(20),
        online_url="https://meet.example.org/stourbridge",
        help_places=8,
        surgeon_places=3,
    )
    Booking.objects.create(session=session, name="Pat Jones", email="pat@example.org")
    bounces.mark(email="pat@example.org", reason="550", source="bounce")
    old = Endpoint.objects.create(
        surgery=surgery, url="https://old-crm.example.org/hook", events=["booking.made"]
    )
    for n in range(3):
        Delivery.objects.create(
            endpoint=old, event="booking.made", payload={}, attempts=n + 1, status_code=500
        )
    check = PageChecks()

    with chromium as browser:
        page = phone_page(browser, live_server.url, organiser)
        page.goto(f"{live_server.url}/surgeries/stourbridge/webhooks/")
        check(page, "webhooks")
        page.get_by_label("Address on your server").fill("https://crm.example.org/alongside")
        page.get_by_label("A booking was cancelled").check()
        page.get_by_role("button", name="Add webhook").click()
        expect(page.get_by_role("heading", name="Your secret")).to_be_visible()
        check(page, "webhook added")

        page.goto(f"{live_server.url}/sessions/{session.pk}/bookings/")
        expect(page.get_by_text("Emails to this address bounce.")).to_be_visible()
        check(page, "who is coming, with a bounce")
        page.get_by_role("button", name="This address works now for Pat Jones").click()
        expect(page.get_by_text("Emails to Pat Jones will be sent again.")).to_be_visible()

    check.assert_none()
    assert Endpoint.objects.filter(events=["booking.cancelled"]).exists()
    assert not bounces.is_undeliverable("pat@example.org")
