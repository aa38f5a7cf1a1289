"""On a 360×740 phone, what someone came for is on the first screen, measured in a browser.

After a directory search, the first result's heading; on home, the search for a surgery; on
a surgery's page, the next session's "Book a place". Each page is checked with axe-core and
for sideways scrolling (PageChecks).

    uv run pytest -n 0 alongside/public/tests/test_first_screen_browser.py
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from alongside.browsertest import HEIGHT, PHONE, WIDTH, PageChecks
from alongside.demo.build import build_demo_network
from alongside.surgeries.models import Topic
from alongside.surgeries.topics import ensure_topics


def assert_on_first_screen(item: Locator, what: str) -> None:
    """The whole of the item is inside the first screen, before any scrolling."""
    expect(item).to_be_visible()
    box = item.bounding_box()
    assert box is not None, what
    bottom = box["y"] + box["height"]
    assert bottom <= HEIGHT, f"{what} ends {bottom:.0f}px down, below the first {HEIGHT}px"


def first_result(page: Page) -> Locator:
    return page.locator("#surgery-results h3").first


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_what_people_came_for_is_on_a_phones_first_screen(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    build_demo_network(today=timezone.localdate())
    # Something no surgery has helped with, whatever the demo holds.
    Topic.objects.create(slug="podcasts", name="Podcasts", position=99)
    check = PageChecks()

    with chromium as browser:
        page = browser.new_context(**PHONE).new_page()
        # The live server's first page (imports, templates) took 10-16 s on a busy machine.
        page.set_default_timeout(30_000)
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())

        # Home: the search for a surgery, and it lands on the results.
        page.goto(f"{live_server.url}/")
        search = page.get_by_role("textbox", name="Find a surgery near you")
        assert_on_first_screen(search, "the home page's search box")
        check(page, "home")
        search.fill("Stourbridge")
        page.get_by_role("search").get_by_role("button", name="Search").click()
        expect(page).to_have_url(f"{live_server.url}/surgeries/?q=Stourbridge")
        expect(first_result(page)).to_contain_text("Stourbridge Social Media Surgery")
        assert_on_first_screen(first_result(page), "the first result after a search")
        summary = page.locator(".search-summary > p")
        expect(summary).to_have_text("You searched for: Near Stourbridge")
        # The map comes after the list, so it pushes nothing down.
        check(page, "directory after a search")

        # A postcode, changed through the folded form.
        expect(page.get_by_label("Town or postcode")).to_be_hidden()
        page.locator(".search-change > summary").click()
        page.get_by_label("Town or postcode").fill("DY8 1AA")
        check(page, "directory, changing the search")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(summary).to_have_text("You searched for: Near DY8 1AA")
        assert_on_first_screen(first_result(page), "the first result after a postcode search")

        # Choices that find nothing say what there is instead, never a bare page.
        page.goto(f"{live_server.url}/surgeries/?q=Stourbridge&topic=podcasts")
        expect(page.get_by_role("heading", level=2).first).to_have_text(
            "No surgery within 10 miles of Stourbridge helps with Podcasts"
        )
        expect(page.locator("#instead-results h3").first).to_be_visible()
        check(page, "directory, nothing found")

        # A surgery's page: the next session's button; the organisers' tools a link away.
        page.goto(f"{live_server.url}/surgeries/stourbridge/")
        next_session = page.get_by_role("region", name="Next session")
        on_now = next_session.get_by_text("On now", exact=False)
        if on_now.count():  # the demo's Monday morning session, run on a Monday morning
            assert_on_first_screen(on_now, "the next session's On now")
        else:
            book = page.get_by_role("link", name="Book a place", exact=True)
            assert_on_first_screen(book, "the next session's Book a place")
        expect(page.get_by_text("Run by", exact=True)).to_be_visible()
        expect(page.locator("#embed-code")).to_have_count(0)
        check(page, "surgery")
        page.get_by_role("link", name="Share or print").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Share or print")
        expect(page.get_by_label("Show the next sessions on your own website")).to_be_visible()
        check(page, "share or print")

        # Without scripts: the same first screen after a search.
        plain = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, java_script_enabled=False
        ).new_page()
        plain.goto(f"{live_server.url}/")
        plain.get_by_role("textbox", name="Find a surgery near you").fill("DY8 1AA")
        plain.get_by_role("search").get_by_role("button", name="Search").click()
        assert_on_first_screen(first_result(plain), "the first result, without scripts")
        plain.locator(".search-change > summary").click()
        expect(plain.get_by_label("Town or postcode")).to_have_value("DY8 1AA")

    check.assert_none()
