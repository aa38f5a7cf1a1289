"""Growing the network, on a 360 px phone: propose a surgery, a network admin approves it,
its organiser makes a monthly repeating session, is warned of a nearby surgery's session
around one of its dates, goes ahead anyway, and the sessions are public.

Every page is checked with axe-core and for sideways scrolling (PageChecks). Set-up (the
people, a nearby surgery and its session, and the signed-in sessions the browser borrows)
happens before the `with chromium as browser:` block and the database checks after it: an ORM
call inside Playwright's event loop fails with SynchronousOnlyOperation, and one that slipped
through would keep a connection open that stops PostgreSQL dropping the test database.

    uv run pytest alongside/network/tests/test_journey_browser.py
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import dateformat, timezone
from playwright.sync_api import Browser, Page, expect

from alongside.browsertest import PHONE, PageChecks, cookie_for
from alongside.lib import geo
from alongside.surgeries import repeats
from alongside.surgeries.models import Area, Session, SessionSeries, Surgery, Venue
from alongside.test import make_surgery, make_user

THURSDAY = 3


def first_thursdays(start: dt.date, until: dt.date) -> list[dt.date]:
    """The first Thursday of each month from `start` to `until`, worked out by hand."""
    found = []
    month = start.replace(day=1)
    while month <= until:
        day = month + dt.timedelta(days=(THURSDAY - month.weekday()) % 7)
        if start <= day <= until:
            found.append(day)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return found


def signed_in(browser: Browser, cookie: str, url: str) -> Page:
    context = browser.new_context(**PHONE)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url, "httpOnly": True}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    # No internet here: the directory map's tiles are refused, as offline.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    return page


def make_neighbour(day: dt.date) -> Session:
    """Stourbridge (DY8), public, meeting on `day`: under four miles from Halesowen (B63)."""
    stourbridge = make_surgery(
        "Stourbridge Social Media Surgery", "stourbridge", make_user("melissa", "m@example.org")
    )
    stourbridge.postcode = "DY8 1AA"
    stourbridge.latitude, stourbridge.longitude = geo.postcode_position("DY8")
    stourbridge.save()
    venue = Venue.objects.create(
        surgery=stourbridge, name="The Lion Café", address="1 High Street, Stourbridge"
    )
    return Session.objects.create(
        surgery=stourbridge,
        date=day,
        start_time=dt.time(18, 0),
        end_time=dt.time(20, 0),
        venue=venue,
        help_places=8,
        surgeon_places=3,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_propose_approve_repeat_with_a_clash_and_publish(topics_put_back, live_server, chromium):
    today = timezone.localdate()
    first = today + dt.timedelta(days=1)
    thursdays = first_thursdays(first, repeats.horizon(today))
    # Stourbridge meets the Friday after the first Thursday: a day apart, under four miles.
    neighbour = make_neighbour(thursdays[0] + dt.timedelta(days=1))
    # And the day after that, the Saturday, Halesowen adds a session of its own.
    one_off = neighbour.date + dt.timedelta(days=1)
    Area.objects.create(name="Dudley borough", slug="dudley-borough")
    priya = make_user("priya", "priya@example.org")
    admin = make_user("nadia", "nadia@example.org")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    priya_cookie, admin_cookie = cookie_for(priya), cookie_for(admin)
    fmt = lambda day: dateformat.format(day, "l j F")  # noqa: E731
    check = PageChecks()

    with chromium as browser:
        # Priya reads the recipe and proposes a surgery.
        page = signed_in(browser, priya_cookie, live_server.url)
        page.goto(f"{live_server.url}/start/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Start a social media surgery")
        check(page, "start a surgery")
        page.get_by_label("Name", exact=True).fill("Halesowen Social Media Surgery")
        page.get_by_label("Place", exact=True).fill("Halesowen")
        page.get_by_label(re.compile("^Postcode or postcode area")).fill("B63 3AA")
        page.get_by_label("Who it is for", exact=True).fill(
            "Community groups, charities and clubs in Halesowen."
        )
        page.get_by_label(re.compile("^How often")).fill("First Thursday of the month")
        page.get_by_label("What happens at this surgery", exact=True).fill(
            "Bring a laptop, tablet or phone; a volunteer sits alongside you and helps."
        )
        expect(page.get_by_label("Contact email", exact=True)).to_have_value("priya@example.org")
        page.get_by_role("button", name="Send for approval").click()
        expect(page).to_have_url(f"{live_server.url}/surgeries/halesowen-social-media-surgery/")
        expect(page.locator(".messages")).to_contain_text("waiting for approval")
        expect(page.get_by_text("is waiting for approval by the network")).to_be_visible()
        check(page, "the proposed surgery")
        page.context.close()

        # Nadia, a network admin, approves it and puts it in an area.
        page = signed_in(browser, admin_cookie, live_server.url)
        page.goto(f"{live_server.url}/network/proposals/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Surgeries waiting for approval")
        check(page, "proposals")
        page.get_by_role("link", name="Halesowen Social Media Surgery").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Halesowen Social Media Surgery")
        expect(page.get_by_text("priya@example.org").first).to_be_visible()
        check(page, "a proposal")
        page.get_by_label(re.compile("^Area")).select_option(label="Dudley borough")
        page.get_by_role("button", name="Approve this surgery").click()
        expect(page).to_have_url(f"{live_server.url}/network/proposals/")
        expect(page.locator(".messages")).to_contain_text(
            "Halesowen Social Media Surgery is approved."
        )
        expect(page.get_by_text("Nothing is waiting. Thank you.")).to_be_visible()
        check(page, "proposals, after approving")
        page.context.close()

        # Priya repeats a session: the first Thursday of the month.
        page = signed_in(browser, priya_cookie, live_server.url)
        page.goto(f"{live_server.url}/organise/")
        expect(
            page.get_by_role("heading", level=2, name="Halesowen Social Media Surgery")
        ).to_be_visible()
        check(page, "organise")
        page.get_by_role("link", name="Repeat a session").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Repeat a session")
        check(page, "repeat a session")
        page.get_by_label("Monthly, on a weekday (e.g. first Thursday)").check()
        page.get_by_label(re.compile("^Which week")).select_option(label="first")
        page.get_by_label(re.compile("^Day of the week")).select_option(label="Thursday")
        page.get_by_label("First date", exact=True).fill(first.isoformat())
        page.get_by_label("Start time", exact=True).fill("18:00")
        page.get_by_label("End time", exact=True).fill("20:00")
        page.get_by_label(re.compile("^New venue name")).fill("Halesowen Library")
        page.get_by_label(re.compile("^New venue address")).fill(
            "Cornbow Shopping Centre, Halesowen"
        )
        page.get_by_label(re.compile("^New venue postcode")).fill("B63 4AJ")
        page.get_by_role("button", name="Show the dates").click()

        # The preview: each first Thursday, and Stourbridge's session the day after one.
        preview = page.get_by_role("region", name="The dates this makes")
        expect(preview).to_be_visible()
        dates = preview.locator(".series-dates > li")
        expect(dates).to_have_count(len(thursdays))
        for item, day in zip(dates.all(), thursdays, strict=True):
            expect(item).to_contain_text(f"{dateformat.format(day, 'l j F Y')}, 6pm")
        clash = dates.first.get_by_role(
            "link", name=f"Stourbridge Social Media Surgery: {fmt(neighbour.date)}"
        )
        expect(clash).to_have_attribute("href", f"/sessions/{neighbour.pk}/")
        expect(dates.first).to_contain_text("about 4 miles away")
        for item in dates.all()[1:]:
            expect(item.locator(".series-clashes")).to_have_count(0)
        expect(preview.locator(".clash-warning")).to_contain_text(
            "Some dates are near another surgery's session (within 10 miles"
        )
        check(page, "repeat a session, the preview with a clash")
        page.get_by_role(
            "button", name=re.compile(r"^Create (this session|these \d+ sessions) anyway$")
        ).click()
        expect(page).to_have_url(f"{live_server.url}/organise/")
        expect(page.locator(".messages")).to_contain_text(
            f"The repeating session is saved, with {len(thursdays)} date"
        )
        expect(page.get_by_text("The first Thursday of the month, 6pm to 8pm")).to_be_visible()
        check(page, "organise, with the repeating session")

        # A one-off session on the Saturday: the single-session form warns too.
        page.get_by_role("link", name="Add a session").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a session")
        check(page, "add a session")
        page.get_by_label("Date", exact=True).fill(one_off.isoformat())
        expect(page.get_by_label(re.compile("^Venue"))).to_have_value(re.compile(r"\d+"))
        page.get_by_role("button", name="Save session").click()
        warning = page.locator("#clash-warning")
        expect(warning.get_by_role("heading", level=2)).to_have_text(
            "Another surgery meets nearby around then"
        )
        expect(
            warning.get_by_role(
                "link",
                name=f"Stourbridge Social Media Surgery: {fmt(neighbour.date)}, 6pm",
            )
        ).to_have_attribute("href", f"/sessions/{neighbour.pk}/")
        expect(warning).to_contain_text("about 4 miles away")
        expect(page.get_by_text("Not saved yet: there is a session nearby")).to_be_visible()
        # Nothing typed is lost.
        expect(page.get_by_label("Date", exact=True)).to_have_value(one_off.isoformat())
        check(page, "add a session, with a clash")
        page.get_by_role("button", name="Save anyway, despite the nearby session").click()
        expect(page.locator(".messages")).to_contain_text("The session is saved.")
        check(page, "the saved session's bookings")
        page.context.close()

        # Anyone, not signed in, finds Halesowen's sessions in the directory and calendar.
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(10_000)
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
        page.goto(f"{live_server.url}/surgeries/")
        expect(page.locator("#results-heading")).to_have_text("2 surgeries")
        halesowen = page.locator("#surgery-results > li").filter(
            has_text="Halesowen Social Media Surgery"
        )
        expect(halesowen).to_contain_text(f"Next session: {fmt(thursdays[0])}")
        check(page, "the directory")
        halesowen.get_by_role("link", name="Halesowen Social Media Surgery").click()
        cards = page.locator(".session-card")
        expect(cards).to_have_count(len(thursdays) + 1)
        expect(page.get_by_text("is waiting for approval")).to_have_count(0)
        check(page, "Halesowen's page")

        page.goto(f"{live_server.url}/calendar/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Calendar of surgeries")
        area = page.get_by_role("region", name="Dudley borough")
        ours = area.get_by_role("link", name=re.compile("Halesowen Social Media Surgery$"))
        expect(ours).to_have_count(len(thursdays) + 1)
        expect(ours.first).to_contain_text(dateformat.format(thursdays[0], "D j M"))
        others = page.get_by_role("region", name="Other places")
        expect(others.get_by_role("link")).to_have_text(
            [re.compile("Stourbridge Social Media Surgery$")]
        )
        check(page, "the calendar")

    # Back outside Playwright's event loop: the database agrees with what the pages said.
    halesowen = Surgery.objects.get(slug="halesowen-social-media-surgery")
    assert halesowen.is_public
    assert halesowen.approved_by == admin
    assert halesowen.area.slug == "dudley-borough"
    assert list(halesowen.organisers.all()) == [priya]
    series = SessionSeries.objects.get(surgery=halesowen)
    assert (series.rule, series.week, series.weekday) == (
        SessionSeries.Rule.MONTHLY_WEEKDAY,
        SessionSeries.Week.FIRST,
        THURSDAY,
    )
    sessions = list(Session.objects.public().filter(surgery=halesowen).order_by("date"))
    assert [s.date for s in sessions] == sorted([*thursdays, one_off])
    assert {s.venue.name for s in sessions} == {"Halesowen Library"}
    assert [s.date for s in sessions if s.series_id == series.pk] == thursdays
    check.assert_none()
