"""Who is coming, on a phone and on paper: every organiser page passes axe-core at 360 px,
and the sign-in sheet for 20 people prints on one A4 page, without the site's menus.

    uv run pytest -n 0 alongside/bookings/tests/test_who_is_coming_browser.py
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from alongside.bookings.models import Booking
from alongside.browsertest import PHONE, PageChecks
from alongside.surgeries.models import Organisation, Session, Topic, Venue
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user

# Outside the repository, to look at by eye.
SCREENSHOTS = "/tmp/alongside-who-is-coming"  # noqa: S108
# The printable area of A4 with 12 mm margins, at the browser's 96 pixels to the inch.
A4_INSIDE = {"width": 703, "height": 1032}


def pdf_pages(pdf: bytes) -> int:
    # Chromium writes each page as an object "/Type /Page"; the tree of them is "/Pages".
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def add_people(session: Session, start: int, end: int) -> None:
    for n in range(start, end):
        group, _ = Organisation.objects.get_or_create(
            name=f"Friends of Mary Stevens Park and the Hagley Road Allotments {n}"
        )
        Booking.objects.create(
            session=session,
            name=f"Bernadette Featherstonehaugh-Smythe {n}",
            email=f"person{n}@example.org",
            organisation=group,
            consent_contact=True,
            role=Booking.Role.SURGEON if n % 5 == 4 else Booking.Role.HELP,
        )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_who_is_coming_on_a_phone_and_the_sign_in_sheet_on_one_a4_page(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    venue = Venue.objects.create(
        surgery=surgery, name="The Lion Café", address="1 High Street, Stourbridge"
    )
    times = {"start_time": dt.time(18), "end_time": dt.time(20), "venue": venue}
    session = Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=7),
        help_places=16,
        surgeon_places=4,
        **times,
    )
    Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=35),
        help_places=8,
        surgeon_places=3,
        **times,
    )
    add_people(session, 0, 20)
    waiting = Booking.objects.create(
        session=session, name="Wendy Waiting", email="wendy@example.org",
        status=Booking.Status.WAITING, consent_contact=True,
    )  # fmt: skip
    first = Booking.objects.filter(session=session).first()
    assert first is not None
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    base = f"{live_server.url}/sessions/{session.pk}/bookings/"
    check = PageChecks()

    with chromium as browser:
        context = browser.new_context(**PHONE)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(30_000)

        page.goto(base)
        expect(page.get_by_role("heading", name="Waiting list")).to_be_visible()
        check(page, "who is coming")
        page.screenshot(path=f"{SCREENSHOTS}-page.png")

        page.get_by_role("link", name="Message everyone coming").click()
        expect(page.get_by_label("Your message")).to_be_visible()  # the form, not the list
        check(page, "message form")
        page.get_by_label("Your message").fill("We are in the library next door this time.")
        page.get_by_label("Send it to the people on the waiting list too").check()
        page.get_by_role("button", name="See what will be sent").click()
        expect(page.get_by_text("This will be emailed to 21 people.")).to_be_visible()
        check(page, "message preview")
        page.screenshot(path=f"{SCREENSHOTS}-preview.png", full_page=True)

        for path, name in [
            ("add/", "add a booking"),
            (f"{first.pk}/edit/", "change a booking"),
            (f"{first.pk}/move/", "move a booking"),
        ]:
            page.goto(base + path)
            check(page, name)
        page.screenshot(path=f"{SCREENSHOTS}-move.png", full_page=True)

        page.goto(base + "sign-in-sheet/")
        expect(page.locator(".sheet-table tbody tr")).to_have_count(20 + 3)
        check(page, "sign-in sheet")
        page.screenshot(path=f"{SCREENSHOTS}-sheet.png", full_page=True)
        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".site-footer")).to_be_hidden()
        expect(page.get_by_text("Print this page")).to_be_hidden()
        twenty = page.pdf(format="A4", prefer_css_page_size=True)
        page.set_viewport_size(A4_INSIDE)
        page.screenshot(path=f"{SCREENSHOTS}-printed.png", full_page=True)
        with open(f"{SCREENSHOTS}-20.pdf", "wb") as f:
            f.write(twenty)

        add_people(session, 20, 25)
        page.reload()
        expect(page.locator(".sheet-table tbody tr")).to_have_count(25 + 3)
        twenty_five = page.pdf(format="A4", prefer_css_page_size=True)
        with open(f"{SCREENSHOTS}-25.pdf", "wb") as f:
            f.write(twenty_five)
    check.assert_none()
    assert pdf_pages(twenty) == 1
    # More people than fit go on to a second page, whole rows at a time.
    assert pdf_pages(twenty_five) == 2
    assert waiting.pk
