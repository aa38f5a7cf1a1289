"""On a phone: a member reads the organisation's outcomes, and it prints on A4."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browsertest import PHONE, WIDTH, PageChecks, cookie_for
from alongside.organisations.models import Rating, Response, Role, Round, Team
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Topic
from alongside.surgeries.topics import ensure_topics

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_reads_the_outcomes_on_a_phone_and_prints_them(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    org = make_organisation()
    staff = Team.objects.create(organisation=org, name="Staff")
    lorna = make_member(org, "lorna-p", role=Role.ADMIN, team=staff, name="Lorna Prescott")
    people = [make_member(org, f"staff-{n}", team=staff) for n in range(5)]
    now = timezone.now()
    rounds = [
        Round.objects.create(
            organisation=org, number=1, opened_at=now - dt.timedelta(days=180), closed_at=now
        ),
        Round.objects.create(organisation=org, number=2, opened_at=now - dt.timedelta(days=5)),
    ]
    topics = list(Topic.objects.exclude(slug="other")[:6])
    for grown, round_ in enumerate(rounds):
        for n, m in enumerate(people):
            response = Response.objects.create(round=round_, user=m.user, role=m.role, team=staff)
            Rating.objects.bulk_create(
                Rating(response=response, topic=t, confidence=min(5, 1 + (n + i) % 4 + grown))
                for i, t in enumerate(topics)
            )
    check = PageChecks()
    base = f"{live_server.url}/organisations/{org.slug}"

    with chromium as browser:
        context = browser.new_context(**PHONE)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie_for(people[0].user),
                    "url": live_server.url,
                    "httpOnly": True,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{base}/")
        page.get_by_role("link", name="What has changed: the organisation's outcomes").click()
        page.wait_for_url(f"{base}/outcomes/")
        check(page, "outcomes")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/outcomes.png", full_page=True)
            page.screenshot(path=f"{SHOTS}/outcomes-first-screen.png")
        # What they came for is on the first screen: the title and the figures in words.
        words = page.get_by_text("people answered the check twice: their confidence went")
        box = words.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["viewport"]["height"], box
        table = page.get_by_role("table")
        assert table.get_by_role("row").count() == len(topics) + 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, width
        # Another period, from the presets, then back.
        page.get_by_role("link", name="All time").click()
        page.wait_for_url("**/outcomes/?from=&to=")
        expect(page.get_by_text("All time").first).to_be_visible()
        check(page, "outcomes for all time")
        # Printed, the tools go and the report stays.
        page.emulate_media(media="print")
        expect(page.get_by_role("button", name="Show the outcomes")).not_to_be_visible()
        expect(
            page.get_by_role("heading", name="Confidence before and after, by topic")
        ).to_be_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        page.emulate_media(media="screen")

        # Lorna has not answered the open round: it is the first thing on her space.
        context.clear_cookies()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie_for(lorna.user),
                    "url": live_server.url,
                    "httpOnly": True,
                }
            ]
        )
        page.goto(f"{base}/")
        take = page.get_by_role("link", name="Take the check")
        box = take.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["viewport"]["height"], box
        check(page, "space with the check open")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/space-first-screen.png")
    check.assert_none()
