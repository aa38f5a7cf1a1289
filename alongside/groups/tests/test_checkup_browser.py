"""On a phone: a group's admin reads its website's quick wins and asks for a fresh look;
a coordinator reads an area's results."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browsertest import PHONE, WIDTH, PageChecks, phone_page
from alongside.groups import quickwins
from alongside.groups.models import CheckBatch, WebCheck
from alongside.groups.tests.helpers import make_group
from alongside.network.models import Coordinator
from alongside.organisations.models import Membership
from alongside.surgeries.models import Area
from alongside.test import make_user

SHOTS = os.environ.get("CHECKUP_SHOTS")  # a folder, to keep screenshots while working on them


def _signed_in(browser, live_server, user):
    page = phone_page(browser, live_server.url, user)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_groups_quick_wins_on_a_phone(topics_put_back, live_server, monkeypatch, chromium):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    borough = Area.objects.create(name="Dudley borough", slug="dudley-borough")
    group = make_group(
        "Friends of Leasowes",
        website="http://friendsofleasowes.example/",
        socials=["https://www.facebook.com/friendsofleasowes"],
        area=borough,
    )
    fay = make_user("fay", "fay@example.org")
    Membership.objects.create(organisation=group, user=fay, name="Fay", role="admin")
    kim = make_user("kim", "kim@example.org")
    Coordinator.objects.create(user=kim, area=borough)
    batch = CheckBatch.objects.create(area=borough, kind="friends", requested_by=kim, groups=1)
    WebCheck.objects.create(
        organisation=group,
        url="http://friendsofleasowes.example/",
        batch=batch,
        reason=WebCheck.Reason.COORDINATOR,
        outcome=WebCheck.Outcome.CHECKED,
        checked_at=timezone.now(),
        answers=True,
        https=False,
        mobile_viewport=False,
        links_to_socials=False,
        contact_route=True,
        recent_date=False,
        broken_links=["http://friendsofleasowes.example/events/2019/"],
        details={"socials_missing": ["https://www.facebook.com/friendsofleasowes"]},
        quick_wins=[
            quickwins.HTTPS,
            quickwins.VIEWPORT,
            quickwins.LINK_SOCIALS,
            quickwins.BROKEN_LINKS,
            quickwins.RECENT,
        ],
    )
    check = PageChecks()
    url = f"{live_server.url}/groups/{group.slug}/check-up/"

    with chromium as browser:
        page = _signed_in(browser, live_server, fay)
        page.goto(url)
        check(page, "quick wins")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/checkup.png")
            page.screenshot(path=f"{SHOTS}/checkup-full.png", full_page=True)
        # What they came for is on the first screen: the first thing to fix.
        first = page.get_by_role("listitem").filter(has_text="https://").first
        expect(first).to_be_visible()
        assert first.bounding_box()["y"] < PHONE["viewport"]["height"]
        page.get_by_role("button", name="Check again").click()
        page.wait_for_url(url)
        expect(page.get_by_text("A fresh look is waiting")).to_be_visible()
        check(page, "waiting")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/checkup-waiting.png", full_page=True)

        page = _signed_in(browser, live_server, kim)
        page.goto(f"{live_server.url}/network/areas/{borough.slug}/check-ups/")
        check(page, "area form")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/area.png", full_page=True)
        page.get_by_role("link", name="every kind of group").or_(
            page.get_by_role("link", name="Friends of a park")
        ).first.click()
        expect(page.get_by_text("1 of 1 group checked.")).to_be_visible()
        check(page, "batch")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/batch.png", full_page=True)
    assert PHONE["viewport"]["width"] == WIDTH
    check.assert_none()
