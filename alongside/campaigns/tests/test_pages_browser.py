"""On a phone: the campaign page and a chapter page, with and without JavaScript."""

from __future__ import annotations

import os

import pytest

from alongside.bookings.tests.test_short_form_browser import check_as_shown
from alongside.browsertest import HEIGHT, PHONE, PageChecks
from alongside.campaigns.models import VolunteerRole
from alongside.campaigns.tests.helpers import (
    make_campaign,
    make_chapter,
    make_donation,
    make_volunteer,
)

SHOTS = os.environ.get("CAMPAIGN_SHOTS")  # a folder, to keep screenshots while working

CITIES = [
    ("Birmingham", "GB", "GBP", "Europe/London", "1500", "1519"),
    ("Dudley", "GB", "GBP", "Europe/London", "400", "120"),
    ("Toronto", "CA", "CAD", "America/Toronto", "7000", "5200"),
    ("Honolulu", "US", "USD", "Pacific/Honolulu", "3000", "900"),
    ("Berlin", "DE", "EUR", "Europe/Berlin", "2000", "1500"),
    ("Stourbridge", "GB", "GBP", "Europe/London", "300", "20"),
]
RATES = {"GBP": None, "CAD": "0.55", "USD": "0.79", "EUR": "0.86"}


def first_screen(page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert box["y"] + box["height"] <= HEIGHT, f"{selector} ends at {box['y'] + box['height']}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_campaign_and_a_chapter_on_a_phone(topics_put_back, live_server, monkeypatch, chromium):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    campaign = make_campaign("One Night for Water", days_from_now=0, target="20000")
    chapters = {}
    for city, country, currency, zone, target, raised in CITIES:
        chapter = make_chapter(
            campaign, city, country=country, currency=currency, time_zone=zone, target=target
        )
        make_donation(chapter, raised, per_unit=RATES[currency])
        chapters[city] = chapter
    make_volunteer(chapters["Toronto"], "jane-doe", role=VolunteerRole.LEAD)
    check = PageChecks()
    base = f"{live_server.url}/campaigns/{campaign.slug}"

    with chromium as browser:
        scripted = browser.new_context(**PHONE).new_page()

        def check_page(page, name: str) -> None:
            # axe runs as a script, which never finishes in a page with scripts off: the
            # page's own HTML is checked in a page that has them, as bookings' tests do.
            if page.context is scripted.context:
                check(page, name)
            else:
                check_as_shown(check, page, scripted, name)

        for javascript in (True, False):
            context = browser.new_context(**PHONE, java_script_enabled=javascript)
            page = context.new_page() if not javascript else scripted
            page.set_default_timeout(30_000)
            page.goto(f"{base}/")
            check_page(page, f"campaign (js {javascript})")
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/campaign-js-{javascript}.png", full_page=True)
            # What people came for on the first screen: the total, the bar, the first places.
            first_screen(page, "#campaign-total")
            first_screen(page, "progress.bar")
            first_screen(page, ".chapters-table tbody tr")
            page.goto(f"{base}/toronto/")
            check_page(page, f"chapter (js {javascript})")
            first_screen(page, ".campaign-total .total")
            first_screen(page, "progress.bar")
            assert "Jane" in page.content() and "Doe" not in page.content()
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/chapter-js-{javascript}.png", full_page=True)
            if javascript:
                page.goto(f"{base}/toronto/embed/")
                check(page, "embed")
            context.close()

        # With JavaScript, a new donation reaches a watching page without a reload, and the
        # announced total is the same element, its words changed.
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{base}/")
        before = page.evaluate(
            "(() => { const t = document.getElementById('campaign-total');"
            " t.dataset.seen = 'yes'; return t.textContent; })()"
        )
        make_donation(chapters["Dudley"], "1000")
        page.evaluate(
            "htmx.ajax('GET', document.getElementById('campaign-live').getAttribute('hx-get'),"
            " {source: '#campaign-live', swap: 'none'})"
        )
        page.wait_for_function(
            "(before) => { const t = document.getElementById('campaign-total');"
            " return t.dataset.seen === 'yes' && t.textContent !== before; }",
            arg=before,
        )
        assert "£7,520.00" in page.locator("#campaign-total").text_content()
        context.close()
    check.assert_none()
