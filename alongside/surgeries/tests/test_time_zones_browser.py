"""On a phone: an organiser moves a surgery to Toronto; its session page says whose clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browsertest import PageChecks, phone_page
from alongside.surgeries.models import Session, Surgery


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_moves_a_surgery_to_toronto_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    organiser = User.objects.create_user("tess", "tess@example.org")
    surgery = Surgery.objects.create(
        name="Toronto Social Media Surgery",
        slug="toronto",
        place_name="Toronto",
        description="Free help with the web.",
        who_for="Community groups.",
        contact_email="tess@example.org",
        approved_at=timezone.now(),
    )
    surgery.organisers.add(organiser)
    session = Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=5),
        start_time=dt.time(19),
        end_time=dt.time(21),
        online_url="https://meet.example.org/toronto",
        help_places=6,
        surgeon_places=3,
    )
    check = PageChecks()

    with chromium as browser:
        page = phone_page(browser, live_server.url, organiser)
        page.goto(f"{live_server.url}/surgeries/toronto/edit/")
        zone = page.get_by_label("Time zone")
        expect(zone).to_have_value("Europe/London")
        check(page, "surgery form")
        zone.select_option("America/Toronto")
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text("Your changes are saved.")).to_be_visible()

        page.goto(f"{live_server.url}/sessions/{session.pk}/")
        expect(page.get_by_text("7pm to 9pm (Toronto time)").first).to_be_in_viewport()
        check(page, "session page")
    check.assert_none()
    surgery.refresh_from_db()
    assert surgery.time_zone == "America/Toronto"
