"""The booking journey in Welsh on a 360 px phone: a Welsh surgery's pages speak Welsh
without being asked, the page says so in its lang attribute, and axe-core finds nothing.

    uv run pytest -n 0 alongside/public/tests/test_welsh_browser.py
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.bookings.models import Booking
from alongside.browsertest import PHONE, PageChecks
from alongside.surgeries.models import Session, Surgery, Topic, Venue
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user


def make_welsh_session() -> Session:
    surgery = make_surgery(
        "Cymhorthfa Cyfryngau Cymdeithasol Aberystwyth", "aberystwyth", make_user("nia", "n@x.org")
    )
    Surgery.objects.filter(pk=surgery.pk).update(languages="cy")
    venue = Venue.objects.create(
        surgery=surgery, name="Caffi’r Hen Goleg", address="Stryd y Brenin, Aberystwyth"
    )
    return Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(18, 0),
        end_time=dt.time(20, 0),
        venue=venue,
        online_url="",
        help_places=1,
        surgeon_places=3,
    )


def fill(page: Page, name: str, email: str) -> None:
    page.get_by_label("Eich enw").fill(name)
    page.get_by_label("Eich cyfeiriad e-bost").fill(email)
    page.get_by_label("Beth hoffech chi ei gyflawni?").fill("Mwy o wirfoddolwyr i’r côr")
    page.get_by_text("Dywedwch fwy wrthon ni (dewisol)").click()
    page.get_by_label("Pa fath o grŵp yw e?").select_option(label="Grŵp celfyddydau")
    page.get_by_label("Gwefan neu flog", exact=True).check()


def expect_welsh(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "cy")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_book_change_and_cancel_in_welsh_on_a_phone(topics_put_back, live_server, chromium):
    ensure_topics(Topic)
    session = make_welsh_session()
    base = live_server.url
    booking_page = re.compile(rf"^{re.escape(base)}/bookings/([^/#?]+)/$")
    check = PageChecks()

    with chromium as browser:
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(10_000)

        page.goto(f"{base}/surgeries/aberystwyth/")
        expect_welsh(page)
        expect(page.get_by_text("Sesiwn nesaf")).to_be_visible()
        check(page, "surgery page")

        page.goto(f"{base}/sessions/{session.pk}/")
        expect_welsh(page)
        expect(page.get_by_text("1 lle ar ôl.")).to_be_visible()
        check(page, "session page")

        page.get_by_role("link", name="Cadw lle").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cadw lle")
        check(page, "booking form")
        fill(page, "Nia Jones", "nia@example.org")
        page.get_by_role("button", name="Cadw fy lle").click()
        expect(page).to_have_url(booking_page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Mae gennych chi le")
        expect_welsh(page)
        check(page, "confirmation")

        page.get_by_role("link", name="Newid yr hyn a ddywedoch chi wrthon ni").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Newid eich archeb")
        check(page, "change")
        page.get_by_role("button", name="Cadw’r newidiadau").click()
        expect(page.get_by_text("Mae eich archeb wedi’i diweddaru.")).to_be_visible()

        # Someone else finds it full and joins the waiting list, in Welsh too.
        other = browser.new_context(**PHONE).new_page()
        other.set_default_timeout(10_000)
        other.goto(f"{base}/sessions/{session.pk}/book/")
        expect(other.get_by_role("heading", level=1)).to_have_text("Ymuno â’r rhestr aros")
        expect_welsh(other)
        check(other, "waiting list form")
        fill(other, "Dafydd Evans", "dafydd@example.org")
        other.get_by_role("button", name="Ymuno â’r rhestr aros").click()
        expect(other.get_by_role("heading", level=1)).to_have_text("Rydych chi ar y rhestr aros")
        check(other, "on the waiting list")

        page.get_by_role("link", name="Canslo’r archeb hon").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Canslo eich archeb?")
        check(page, "cancel")
        page.get_by_role("button", name="Ie, canslo fy archeb").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mae’r archeb hon wedi’i chanslo")
        expect_welsh(page)
        check(page, "cancelled")

        # The footer's switcher turns the same page to English.
        page.get_by_role("link", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en-GB")
        expect(page.get_by_role("heading", level=1)).to_have_text("This booking is cancelled")

    check.assert_none()
    languages = set(Booking.objects.values_list("language", flat=True))
    assert languages == {"cy"}
