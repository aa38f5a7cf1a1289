"""A session's reminders on a 360 px phone: what went, what will go, and "Send now".

The page goes through axe-core and the sideways-scrolling check (PageChecks). Set-up and the
database checks sit outside the `with chromium as browser:` block.

    uv run pytest alongside/bookings/tests/test_reminders_browser.py
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.models import AuditEntry
from alongside.bookings import services
from alongside.bookings.models import Booking
from alongside.browsertest import PHONE, PageChecks
from alongside.surgeries.models import Session, Venue
from alongside.test import make_surgery, make_user, run_due_tasks

# Outside the repository, to look at by eye.
SCREENSHOT = "/tmp/alongside-reminders.png"  # noqa: S108


def book(session: Session, name: str, role: str = Booking.Role.HELP) -> Booking:
    email = f"{name.split()[0].lower()}@example.org"
    details = services.BookingDetails(
        name=name, email=email, organisation_name="Lye Allotments", consent_contact=True
    )
    return services.booking_create(session=session, role=role, details=details)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_sees_the_reminders_and_sends_one_now(topics_put_back, live_server, chromium):
    melissa = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", melissa)
    venue = Venue.objects.create(surgery=surgery, name="The Lion Café", address="1 High Street")
    session = Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=4),
        start_time=dt.time(18),
        end_time=dt.time(20),
        venue=venue,
        help_places=2,
        surgeon_places=2,
    )
    pat = book(session, "Pat Jones")
    book(session, "Ann Marie Kowalczyk-Richardson")
    sam = book(session, "Sam Hill", Booking.Role.SURGEON)
    book(session, "Wendy Waiting")  # no room left: the waiting list
    services.reminders_send_now(session=session, bookings=[pat], actor=melissa)
    run_due_tasks()
    services.booking_confirm_coming(booking=pat)
    client = Client()
    client.force_login(melissa)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    url = f"{live_server.url}/sessions/{session.pk}/reminders/"
    check = PageChecks()

    with chromium as browser:
        context = browser.new_context(**PHONE)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url, "httpOnly": True}]
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Reminders for")
        expect(page.locator(".reminder-sent")).to_contain_text("Pat Jones")
        expect(page.locator(".reminder-sent .confirmed")).to_contain_text(
            "Said they are still coming"
        )
        expect(page.locator(".reminder-planned")).to_have_count(2)
        expect(page.get_by_text("1 person is on the waiting list")).to_be_visible()
        check(page, "reminders")
        page.screenshot(path=SCREENSHOT, full_page=True)

        page.get_by_role("button", name="Send now to Sam Hill").click()
        expect(page.locator(".messages")).to_contain_text("A reminder is on its way to Sam Hill.")
        check(page, "reminders, after sending one")
    check.assert_none()
    entry = AuditEntry.objects.get(action="booking.remind", object_id=sam.pk)
    assert entry.actor == melissa
