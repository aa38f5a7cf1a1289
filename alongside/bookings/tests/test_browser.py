"""The booking journey in a real browser, on a 360 px phone screen, checked with axe-core.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright's sync API against
pytest-django's live server. Playwright's own browser download is never used. The test is
skipped when Chromium is missing, unless ALONGSIDE_REQUIRE_BROWSER=1 makes that a failure.

    uv run pytest -m browser
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import dateformat, timezone
from playwright.sync_api import expect

from alongside.bookings.models import Booking
from alongside.browsertest import PHONE, PageChecks
from alongside.surgeries.models import Session, Topic, Venue
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user, run_due_tasks


def make_stourbridge() -> Session:
    """The Stourbridge surgery and its next session, as BaseTestCase builds them."""
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    other = make_surgery(
        "Dudley Social Media Surgery", "dudley", make_user("omar", "omar@example.org")
    )
    venue = Venue.objects.create(
        surgery=surgery, name="The Lion Café", address="1 High Street, Stourbridge"
    )
    Session.objects.create(
        surgery=other,
        date=timezone.localdate() + dt.timedelta(days=14),
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 0),
        online_url="https://meet.example.org/dudley",
        help_places=8,
        surgeon_places=3,
    )
    return Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(18, 0),
        end_time=dt.time(20, 0),
        venue=venue,
        online_url="",
        help_places=8,
        surgeon_places=3,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_booking_a_place_on_a_phone(topics_put_back, live_server, monkeypatch, chromium):
    # Playwright's sync API keeps an event loop in this thread; let the ORM run here anyway.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    session = make_stourbridge()
    day = dateformat.format(session.date, "l j F")
    check = PageChecks()

    with chromium as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.set_default_timeout(10_000)

        # Home: the upcoming session is listed, naming Stourbridge.
        page.goto(f"{live_server.url}/")
        card = page.locator(".session-card").filter(has_text="Stourbridge")
        expect(card).to_have_count(1)
        expect(card).to_contain_text(f"Stourbridge Social Media Surgery: {day}")
        expect(card).to_contain_text("The Lion Café")
        expect(card).to_contain_text("8 places left for people wanting help")
        check(page, "home")

        # The session page.
        card.get_by_role("link").click()
        expect(page).to_have_url(f"{live_server.url}/sessions/{session.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            dateformat.format(session.date, "l j F Y")
        )
        expect(page.get_by_text("8 places left.")).to_be_visible()
        check(page, "session page")

        # The booking form.
        page.get_by_role("link", name="Book a place").click()
        expect(page).to_have_url(f"{live_server.url}/sessions/{session.pk}/book/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Book a place")
        expect(page.get_by_role("alert")).to_have_count(0)
        check(page, "booking form")

        # An empty form: a summary of the errors, and each error next to its field.
        page.get_by_role("button", name="Book my place").click()
        summary = page.get_by_role("alert")
        expect(summary.get_by_role("heading")).to_have_text("There is a problem")
        expect(summary.get_by_role("link")).to_have_text(
            [
                "Enter your name.",
                "Enter your email address, so we can confirm your place.",
                "Tell us in a few words what you would like to achieve.",
            ]
        )
        for label, error in [
            ("Your name", "Enter your name."),
            ("Your email address", "Enter your email address"),
            ("What would you like to achieve?", "Tell us in a few words"),
        ]:
            field = page.get_by_label(label)
            expect(field).to_have_attribute("aria-invalid", "true")
            expect(field).to_have_accessible_description(re.compile(re.escape(error)))
            wrapper = page.locator(".field.has-error").filter(has=field)
            expect(wrapper.locator(".error")).to_have_text(re.compile(re.escape(error)))
        # The optional fields are not marked as wrong.
        expect(page.locator(".has-error")).to_have_count(3)
        expect(page.get_by_label("The group or organisation")).not_to_have_attribute(
            "aria-invalid", "true"
        )
        # Nothing was wrong in the optional questions, so they stay folded away.
        expect(page.locator("details.more")).not_to_have_attribute("open", "")
        # A link in the summary takes you to its field.
        summary.get_by_role("link").first.click()
        expect(page).to_have_url(re.compile(r"#id_name$"))
        expect(page.get_by_label("Your name")).to_be_focused()
        check(page, "booking form with errors")

        # Fill it in properly.
        page.get_by_label("Your name").fill("Pat Jones")
        page.get_by_label("Your email address").fill("pat@example.org")
        page.get_by_label("What would you like to achieve?").fill(
            "Get more volunteers for our litter picks"
        )
        page.get_by_text("Tell us more (optional)").click()
        page.get_by_label("The group or organisation").fill("Friends of Mary Stevens Park")
        page.get_by_label("Facebook", exact=True).check()
        page.get_by_role("button", name="Book my place").click()

        # Confirmation.
        expect(page.get_by_role("heading", level=1)).to_have_text("You are booked in")
        booking_url = re.compile(rf"^{re.escape(live_server.url)}/bookings/([^/#]+)/(#.*)?$")
        expect(page).to_have_url(booking_url)
        expect(page.get_by_text("We have sent a confirmation to pat@example.org.")).to_be_visible()
        expect(page.get_by_role("link", name="Cancel this booking")).to_be_visible()
        check(page, "confirmation")
        confirmation_token = booking_url.match(page.url).group(1)

    # Only one booking: the empty form made none. (ORM calls stay outside the Playwright
    # block: inside its event loop they would open a connection nobody closes.)
    booking = Booking.objects.get()
    assert confirmation_token == booking.token
    assert booking.session == session
    assert booking.status == "booked"
    assert booking.role == "help"
    assert (booking.name, booking.email) == ("Pat Jones", "pat@example.org")
    assert booking.organisation.name == "Friends of Mary Stevens Park"
    assert booking.goal == "Get more volunteers for our litter picks"
    assert [t.slug for t in booking.topics.all()] == ["facebook"]
    assert booking.consent_contact

    # The booking queued its confirmation; the worker sends it into this process's outbox.
    run_due_tasks()
    (email,) = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert email.to == ["pat@example.org"]
    assert "Your place at Stourbridge Social Media Surgery" in email.subject
    cancel = re.search(r"/bookings/([^/\s]+)/cancel/", email.body)
    assert cancel, email.body
    assert Booking.pk_from_token(cancel.group(1)) == booking.pk
    assert "The Lion Café" in email.body

    check.assert_none()
