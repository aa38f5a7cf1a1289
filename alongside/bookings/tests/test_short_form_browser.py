"""The booking form on a 360×740 phone: "Book my place" within two screens, three questions
open, and a booking made with JavaScript and without it, checked with axe-core.

    uv run pytest -n 0 alongside/bookings/tests/test_short_form_browser.py
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from alongside.bookings.models import Booking
from alongside.bookings.tests.test_browser import make_stourbridge
from alongside.browsertest import HEIGHT, PHONE, PageChecks
from alongside.surgeries.models import Topic
from alongside.surgeries.topics import ensure_topics

# Form boxes a person can see now: a closed fold's boxes are in the page but not shown.
SHOWN_BOXES = """() => [...document.querySelectorAll(
        "main form input:not([type=hidden]), main form select, main form textarea")]
    .filter((el) => el.checkVisibility() && !el.classList.contains("trap"))
    .map((el) => el.name)
    .filter((name, i, all) => all.indexOf(name) === i)"""


def bottom_from_top(page: Page, name: str) -> float:
    """Where the button's bottom edge is, in pixels from the top of the page."""
    box = page.get_by_role("button", name=name).bounding_box()
    assert box is not None
    return box["y"] + box["height"] + page.evaluate("window.scrollY")


def check_as_shown(check: PageChecks, plain: Page, scripted: Page, name: str) -> None:
    """axe-core on what a page without JavaScript shows.

    axe runs as a script, so it never finishes in a page with scripts off: the page's own
    HTML, as it stands (a fold opened, boxes filled), is checked in a page that has them.
    """
    scripted.goto(plain.url.split("#")[0])  # the same address, so its links and styles load
    scripted.set_content(plain.content())
    check(scripted, name)


def book_with_three_answers(page: Page, url: str, name: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your email address").fill(email)
    page.get_by_label("What would you like to achieve?").fill("A website for our choir")
    page.get_by_role("button", name="Book my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are booked in")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_booking_form_fits_two_phone_screens_and_books_with_or_without_javascript(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    session = make_stourbridge()
    book_url = f"{live_server.url}/sessions/{session.pk}/book/"
    offer_url = f"{live_server.url}/sessions/{session.pk}/help-out/"
    check = PageChecks()

    with chromium as browser:
        # With JavaScript: the three questions are open, then the two optional choices
        # about other groups, unticked, after the fold.
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(30_000)
        page.goto(book_url)
        choices = ["consent_group_news", "consent_introductions"]
        assert page.evaluate(SHOWN_BOXES) == ["name", "email", "goal", *choices]
        expect(page.get_by_label("Tell my group about sessions")).not_to_be_checked()
        bottom = bottom_from_top(page, "Book my place")
        assert bottom <= 2 * HEIGHT, f"'Book my place' ends {bottom}px down"
        expect(page.get_by_text("You may email me")).to_have_count(0)
        expect(page.locator("main form .privacy-notice")).to_have_count(1)
        check(page, "booking form")

        # The fold opens with a tap; nothing in it is needed to book.
        page.get_by_text("Tell us more (optional)").click()
        expect(page.get_by_label("The group or organisation")).to_be_visible()
        check(page, "booking form, fold open")
        book_with_three_answers(page, book_url, "Pat Jones", "pat@example.org")
        check(page, "booked with JavaScript")

        # The surgeon's offer is as short: name and email, then the call-outs choice.
        page.goto(offer_url)
        assert page.evaluate(SHOWN_BOXES) == ["name", "email", "consent_callouts"]
        expect(page.get_by_label("Email me when a session here is short")).not_to_be_checked()
        assert bottom_from_top(page, "Offer to help") <= 2 * HEIGHT
        check(page, "offer form")

        # Without JavaScript: the fold still opens and closes, and an error inside it opens
        # it when the page comes back, with the summary's link leading to the box.
        plain = browser.new_context(**PHONE, java_script_enabled=False).new_page()
        plain.set_default_timeout(30_000)
        plain.goto(book_url)
        assert bottom_from_top(plain, "Book my place") <= 2 * HEIGHT
        expect(plain.get_by_label("The group or organisation")).to_be_hidden()
        check_as_shown(check, plain, page, "booking form, no JavaScript")
        plain.get_by_label("Your name").fill("Ann Lee")
        plain.get_by_label("Your email address").fill("ann@example.org")
        plain.get_by_label("What would you like to achieve?").fill("More people at our café")
        plain.get_by_text("Tell us more (optional)").click()
        plain.get_by_label("The group or organisation").fill("Amblecote Community Café")
        plain.get_by_label("Instagram", exact=True).check()
        plain.get_by_label("Anything that would make it easier").fill("x" * 1001)
        plain.get_by_role("button", name="Book my place").click()
        summary = plain.get_by_role("alert")
        expect(summary.get_by_role("heading")).to_have_text("There is a problem")
        expect(plain.locator("details.more")).to_have_attribute("open", "")
        needs = plain.get_by_label("Anything that would make it easier")
        expect(needs).to_have_attribute("aria-invalid", "true")
        # Nothing typed is lost.
        expect(plain.get_by_label("Your name")).to_have_value("Ann Lee")
        expect(plain.get_by_label("The group or organisation")).to_have_value(
            "Amblecote Community Café"
        )
        expect(plain.get_by_label("Instagram", exact=True)).to_be_checked()
        expect(needs).to_have_value("x" * 1001)
        check_as_shown(check, plain, page, "booking form with an error in the fold, no JS")
        summary.get_by_role("link").click()
        expect(plain).to_have_url(re.compile(r"#id_access_needs$"))
        expect(needs).to_be_in_viewport()
        needs.fill("A quiet table, please")
        plain.get_by_role("button", name="Book my place").click()
        expect(plain.get_by_role("heading", level=1)).to_have_text("You are booked in")
        check_as_shown(check, plain, page, "booked without JavaScript")

        # And the three answers alone, without JavaScript.
        book_with_three_answers(plain, book_url, "Bo Reid", "bo@example.org")

    bookings = {b.email: b for b in Booking.objects.filter(session=session)}
    assert set(bookings) == {"pat@example.org", "ann@example.org", "bo@example.org"}
    assert all(b.status == "booked" and b.consent_contact for b in bookings.values())
    ann = bookings["ann@example.org"]
    assert ann.organisation is not None
    assert ann.organisation.name == "Amblecote Community Café"
    assert [t.slug for t in ann.topics.all()] == ["instagram"]
    assert ann.access_needs == "A quiet table, please"
    assert bookings["pat@example.org"].organisation is None
    check.assert_none()
