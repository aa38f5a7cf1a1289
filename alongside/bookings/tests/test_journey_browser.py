"""The whole journey on a 360 px phone: find a surgery, book the last place, cancel from
the email, and watch the place go to the person on the waiting list.

Every page is checked with axe-core and for sideways scrolling (PageChecks). ORM calls
never run on the Playwright thread: set-up and the final assertions sit outside the
`with chromium as browser:` block, and what has to happen inside it (running the queued
emails) runs in a thread of its own that closes its database connection, so PostgreSQL
can drop the test database afterwards. DJANGO_ALLOW_ASYNC_UNSAFE is deliberately not set:
an ORM call slipped into the block fails at once with SynchronousOnlyOperation.

    uv run pytest alongside/bookings/tests/test_journey_browser.py
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import dateformat, timezone
from playwright.sync_api import Page, expect

from alongside.bookings.models import Booking
from alongside.browsertest import (
    PHONE,
    PageChecks,
)
from alongside.surgeries.models import Session, Topic, Venue
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user, run_due_tasks


def in_own_thread[T](work: Callable[[], T]) -> T:
    """Run ORM work away from Playwright's event loop, closing the connection it opens."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="orm-off-the-loop")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def make_network() -> Session:
    """Stourbridge, meeting in a week with one place; Dudley, online, a few miles off."""
    stourbridge = make_surgery(
        "Stourbridge Social Media Surgery", "stourbridge", make_user("melissa", "m@example.org")
    )
    stourbridge.postcode, stourbridge.latitude, stourbridge.longitude = "DY8 1AA", 52.4564, -2.1478
    stourbridge.save()
    dudley = make_surgery(
        "Dudley Social Media Surgery", "dudley", make_user("omar", "omar@example.org")
    )
    dudley.postcode, dudley.latitude, dudley.longitude = "DY1 1AA", 52.5165, -2.0967
    dudley.save()
    Session.objects.create(
        surgery=dudley,
        date=timezone.localdate() + dt.timedelta(days=14),
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 0),
        online_url="https://meet.example.org/dudley",
        help_places=8,
        surgeon_places=3,
    )
    venue = Venue.objects.create(
        surgery=stourbridge,
        name="The Lion Café",
        address="1 High Street, Stourbridge",
        postcode="DY8 1AA",
    )
    return Session.objects.create(
        surgery=stourbridge,
        date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(18, 0),
        end_time=dt.time(20, 0),
        venue=venue,
        online_url="",
        help_places=1,
        surgeon_places=3,
    )


def fill_booking_form(page: Page, name: str, email: str, goal: str, topic: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your email address").fill(email)
    page.get_by_label("What would you like to achieve?").fill(goal)
    page.get_by_text("Tell us more (optional)").click()
    page.get_by_label("The group or organisation").fill("Friends of Mary Stevens Park")
    page.get_by_label("What kind of group is it?").select_option(
        label="Friends of a park or nature reserve"
    )
    page.get_by_label(topic, exact=True).check()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_find_book_cancel_and_the_place_goes_to_the_waiting_list(
    topics_put_back, live_server, chromium
):
    ensure_topics(Topic)
    session = make_network()
    session_url = f"{live_server.url}/sessions/{session.pk}/"
    day = dateformat.format(session.date, "l j F")
    booking_page = re.compile(rf"^{re.escape(live_server.url)}/bookings/([^/#?]+)/$")
    check = PageChecks()

    with chromium as browser:
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(10_000)
        # No internet here: the directory map's tiles are refused, as offline.
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())

        # The directory, then a search for the town.
        page.goto(f"{live_server.url}/surgeries/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Find a surgery near you")
        check(page, "directory")
        page.get_by_label("Town or postcode").fill("Stourbridge")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.locator("#results-heading")).to_have_text(
            "2 surgeries, nearest to Stourbridge first"
        )
        results = page.locator("#surgery-results > li")
        expect(results).to_have_count(2)
        expect(results.first).to_contain_text("Stourbridge Social Media Surgery")
        expect(results.first).to_contain_text(f"Next session: {day}")
        expect(results.first.locator(".distance")).to_have_text("Less than a mile away")
        expect(results.nth(1)).to_contain_text("Dudley Social Media Surgery")
        expect(results.nth(1).locator(".distance")).to_have_text("About 4.6 miles away")
        check(page, "directory with results")

        # The surgery's page, and its one upcoming session.
        results.first.get_by_role("link", name="Stourbridge Social Media Surgery").click()
        expect(page).to_have_url(f"{live_server.url}/surgeries/stourbridge/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Stourbridge Social Media Surgery"
        )
        card = page.locator(".session-card")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("1 place left for people wanting help")
        check(page, "surgery page")

        card.get_by_role("link", name=day).click()
        expect(page).to_have_url(session_url)
        expect(page.get_by_text("1 place left.")).to_be_visible()
        check(page, "session page")

        # Book the last place.
        page.get_by_role("link", name="Book a place").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Book a place")
        check(page, "booking form")
        fill_booking_form(
            page,
            "Pat Jones",
            "pat@example.org",
            "Get more volunteers for our litter picks",
            "Facebook",
        )
        page.get_by_role("button", name="Book my place").click()
        expect(page).to_have_url(booking_page)
        expect(page.get_by_role("heading", level=1)).to_have_text("You are booked in")
        expect(page.locator(".lead")).to_have_text(
            "We have sent a confirmation to pat@example.org."
        )
        check(page, "confirmation")
        pat_token = booking_page.match(page.url).group(1)

        # Wendy, on her own phone, finds the session full and joins the waiting list.
        wendy = browser.new_context(**PHONE).new_page()
        wendy.set_default_timeout(10_000)
        wendy.goto(session_url)
        expect(wendy.get_by_text("This session is full, but you can join")).to_be_visible()
        check(wendy, "session page, full")
        wendy.get_by_role("link", name="Join the waiting list").click()
        expect(wendy.get_by_role("heading", level=1)).to_have_text("Join the waiting list")
        check(wendy, "waiting list form")
        fill_booking_form(
            wendy, "Wendy Hart", "wendy@example.org", "Start a newsletter", "Email newsletters"
        )
        wendy.get_by_role("button", name="Join the waiting list").click()
        expect(wendy.get_by_role("heading", level=1)).to_have_text("You are on the waiting list")
        check(wendy, "on the waiting list")
        wendy.context.close()

        # The queued emails go out: Pat's confirmation, Wendy's place on the list.
        in_own_thread(run_due_tasks)
        (confirmation,) = emails_to("pat@example.org")
        assert "Your place at Stourbridge Social Media Surgery" in confirmation.subject
        (waiting,) = emails_to("wendy@example.org")
        assert "a place at" not in waiting.subject

        # Pat follows the link in the email (it names the site's own address).
        link = re.search(
            rf"^{re.escape(settings.SITE_ROOT)}(/bookings/[^/\s]+/)$",
            confirmation.body,
            re.MULTILINE,
        )
        assert link, confirmation.body
        assert urlsplit(settings.SITE_ROOT).hostname == "testserver"
        page.goto(live_server.url + link.group(1))
        expect(page).to_have_url(f"{live_server.url}/bookings/{pat_token}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("You are booked in")
        check(page, "booking from the email")

        # Pat cancels.
        page.get_by_role("link", name="Cancel this booking").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your booking?")
        check(page, "cancel confirmation")
        page.get_by_role("button", name="Yes, cancel my booking").click()
        expect(page).to_have_url(f"{live_server.url}/bookings/{pat_token}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("This booking is cancelled")
        expect(page.get_by_text("Your booking is cancelled.")).to_be_visible()
        expect(page.get_by_role("link", name="Cancel this booking")).to_have_count(0)
        check(page, "cancelled")

        # The freed place went to Wendy, who is told.
        in_own_thread(run_due_tasks)
        promoted = [m for m in emails_to("wendy@example.org") if "a place at" in m.subject]
        assert len(promoted) == 1, [m.subject for m in emails_to("wendy@example.org")]
        assert "Stourbridge Social Media Surgery" in promoted[0].subject

        # The session page now shows it full, with nobody to promote.
        page.goto(session_url)
        expect(page.get_by_text("This session is full, but you can join")).to_be_visible()

    # Back outside Playwright's event loop: the database agrees with what the pages said.
    bookings = {b.email: b for b in Booking.objects.filter(session=session)}
    assert set(bookings) == {"pat@example.org", "wendy@example.org"}
    pat, wendy_booking = bookings["pat@example.org"], bookings["wendy@example.org"]
    assert pat.token == pat_token
    assert pat.status == Booking.Status.CANCELLED
    assert pat.organisation.name == "Friends of Mary Stevens Park"
    assert pat.organisation.kind == "friends"
    assert [t.slug for t in pat.topics.all()] == ["facebook"]
    assert wendy_booking.status == Booking.Status.BOOKED
    assert wendy_booking.promoted_at is not None
    assert wendy_booking.organisation == pat.organisation
    assert [t.slug for t in wendy_booking.topics.all()] == ["newsletters"]
    # Cancelling sends Pat one short confirmation; the promotion went to Wendy alone.
    pat_emails = [m.subject for m in emails_to("pat@example.org")]
    assert len(pat_emails) == 2, pat_emails
    assert pat_emails[1].endswith("is cancelled"), pat_emails

    check.assert_none()
