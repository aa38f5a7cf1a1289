"""An arrival on a busy morning, on a 390×844 phone: from "checked in" to "paired" in at
most three taps, without scrolling, with htmx and without JavaScript.

The taps are counted and `window.scrollY` is read after each one: the board swaps in place,
so the page never moves, and focus goes to the next thing to press. Without JavaScript each
tap reloads the console at `#now`, where what was done is said with an "Undo" beside it.

    uv run pytest alongside/helprecords/tests/test_console_phone_browser.py
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.bookings.models import Booking
from alongside.browsertest import PageChecks
from alongside.helprecords import services
from alongside.helprecords.models import Pairing
from alongside.helprecords.tests.test_console_browser import book
from alongside.surgeries.models import Session, Topic, Venue
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user

WIDTH, HEIGHT = 390, 844
PHONE_390 = {
    "viewport": {"width": WIDTH, "height": HEIGHT},
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
}
PEOPLE = [
    ("Pat Jones", "facebook"),
    ("Ann Lowe", "website"),
    ("Jo Bird", "fundraising"),
    ("Liz Ward", "website"),
    ("Mo Khan", "email"),
    ("Nora Payne", "newsletters"),
    ("Ravi Shah", "instagram"),
    ("Tom Kay", "facebook"),
]
SURGEONS = [("Sam Hill", "facebook"), ("Lee Cole", "website"), ("Kim Ray", "instagram")]


def busy_morning() -> tuple[Session, str]:
    """Eight booked, three surgeons here; Pat is with Sam, Ann is waiting, six to come."""
    ensure_topics(Topic)
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    venue = Venue.objects.create(surgery=surgery, name="The Lion Café", address="1 High Street")
    session = Session.objects.create(
        surgery=surgery,
        date=timezone.localdate(),
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 59),
        venue=venue,
        help_places=8,
        surgeon_places=3,
    )
    people = {name: book(session, Booking.Role.HELP, name, [t]) for name, t in PEOPLE}
    surgeons = {name: book(session, Booking.Role.SURGEON, name, [t]) for name, t in SURGEONS}
    for booking in [*surgeons.values(), people["Pat Jones"], people["Ann Lowe"]]:
        services.check_in(booking=booking, actor=organiser)
    services.pairing_start(
        session=session, person=people["Pat Jones"], surgeon=surgeons["Sam Hill"], actor=organiser
    )
    client = Client()
    client.force_login(organiser)
    return session, client.cookies[settings.SESSION_COOKIE_NAME].value


class Taps:
    """Taps one button at a time, counting them and checking the page never scrolled."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def on_screen(self, button) -> dict:
        box = button.bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, box
        return box

    def tap(self, button) -> None:
        self.on_screen(button)
        button.tap()
        self.count += 1
        assert self.page.evaluate("window.scrollY") == 0


def open_console(browser, live_server, session: Session, cookie: str, **options) -> Page:
    context = browser.new_context(**PHONE_390, **options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "url": live_server.url,
                "httpOnly": True,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    # The first page loads SciPy for the suggestions: slow on a busy machine.
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{live_server.url}/sessions/{session.pk}/console/")
    return page


def waiting(page: Page, name: str):
    return page.locator("#board li.card.waiting").filter(has_text=name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_arrival_is_checked_in_and_paired_in_two_taps_without_scrolling(
    topics_put_back, live_server, chromium, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    session, cookie = busy_morning()
    check = PageChecks(width=WIDTH)

    with chromium as browser:
        try:
            expect.set_options(timeout=10_000)
            page = open_console(browser, live_server, session, cookie)
            # The people waiting and the surgeons free come first, then who is still to come.
            for heading in ("1 person waiting", "Surgeons free", "Still to come"):
                box = page.get_by_role("heading", name=heading).bounding_box()
                assert box is not None and box["y"] + box["height"] <= HEIGHT, (heading, box)
            check_in = page.get_by_role("button", name="Check in Ravi Shah")
            first = page.get_by_role("button", name="Check in Jo Bird").bounding_box()
            print(f"\nFirst 'Check in' button at y={first and round(first['y'])} px")
            check(page, "console on a 390 px phone")

            taps = Taps(page)
            taps.tap(check_in)
            ravi = waiting(page, "Ravi Shah")
            pair = ravi.get_by_role("button", name="Pair with Kim Ray")
            expect(pair).to_be_visible()
            expect(pair).to_be_focused()  # the next thing to press
            expect(page.locator("#console-status")).to_contain_text("Ravi Shah is here.")
            expect(ravi).to_contain_text("just arrived")
            check(page, "console after a check-in")
            taps.tap(pair)
            expect(page.locator("#board")).to_contain_text("Kim Ray with Ravi Shah")
            expect(page.locator("#console-status")).to_contain_text("Kim Ray is with Ravi Shah.")
            assert taps.count <= 3
            print(f"Taps from 'checked in' to 'paired': {taps.count}, scrollY stayed 0")

            # Undo is one tap too, beside what was said.
            taps.tap(page.locator("#console-status").get_by_role("button", name="Undo"))
            expect(page.locator("#console-status")).to_contain_text(
                "Undone: Kim Ray and Ravi Shah are no longer paired."
            )
            expect(
                waiting(page, "Ravi Shah").get_by_role("button", name="Pair with Kim Ray")
            ).to_be_visible()
            check(page, "console after an undo")
        finally:
            expect.set_options(timeout=None)

    pairings = Pairing.objects.filter(session=session).select_related("person", "surgeon")
    assert [(p.person.name, p.surgeon.name) for p in pairings] == [("Pat Jones", "Sam Hill")]
    assert Booking.objects.get(session=session, name="Ravi Shah").status == "attended"
    check.assert_none()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_each_tap_comes_back_to_the_board(
    topics_put_back, live_server, chromium, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    session, cookie = busy_morning()

    with chromium as browser:
        try:
            expect.set_options(timeout=10_000)
            # No axe here, nor reading scrollY: both need the page's JavaScript, which is off.
            # The markup is the same as with JavaScript, checked by the test above.
            page = open_console(browser, live_server, session, cookie, java_script_enabled=False)
            # Clicks, not taps: without JavaScript a tap never returns in this Chromium.
            page.get_by_role("button", name="Check in Ravi Shah").click()
            taps = 1
            # Back to the board, at the same spot: what was done, its undo, then the board.
            page.wait_for_url(re.compile(r"/console/\?last=\d+#now$"))
            status = page.locator("#console-status")
            expect(status).to_contain_text("Ravi Shah is here.")
            expect(status.get_by_role("button", name="Undo")).to_be_in_viewport()
            pair = waiting(page, "Ravi Shah").get_by_role("button", name="Pair with Kim Ray")
            expect(pair).to_be_in_viewport()
            pair.click()
            taps += 1
            page.wait_for_url(re.compile(r"/console/\?last=\d+#now$"))
            expect(page.locator("#console-status")).to_contain_text("Kim Ray is with Ravi Shah.")
            expect(page.locator("#board")).to_contain_text("Kim Ray with Ravi Shah")
            assert taps <= 3
        finally:
            expect.set_options(timeout=None)

    assert Pairing.objects.filter(session=session, person__name="Ravi Shah").exists()
