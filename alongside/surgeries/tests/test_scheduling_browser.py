"""The pages around scheduling and the network, in a real browser on a 360 px phone: the
network calendar and its filters, a surgery's organisers (inviting a co-organiser), a
coordinator's area, the network admins' dashboard, and closing a surgery.

Every page goes through axe-core and the sideways-scrolling check (PageChecks). Set-up,
including the signed-in sessions the browser borrows, happens before the
`with chromium as browser:` block and the database checks after it: no ORM call runs on
Playwright's event loop.

    uv run pytest alongside/surgeries/tests/test_scheduling_browser.py
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import dateformat, timezone
from playwright.sync_api import Browser, Page, expect

from alongside.browsertest import PHONE, PageChecks, cookie_for
from alongside.network.models import Coordinator, Invitation
from alongside.surgeries.models import Area, Session, Surgery, Venue
from alongside.test import make_surgery, make_user


def signed_in(browser: Browser, cookie: str | None, url: str) -> Page:
    context = browser.new_context(**PHONE)
    if cookie:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url, "httpOnly": True}]
        )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def add_session(surgery: Surgery, days: int, venue: Venue | None = None) -> Session:
    return Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=days),
        start_time=dt.time(18, 0),
        end_time=dt.time(20, 0),
        venue=venue,
        online_url="" if venue else "https://meet.example.org/surgery",
        help_places=8,
        surgeon_places=3,
    )


def make_network() -> dict:
    """West Midlands, holding Dudley borough (Stourbridge, Halesowen) and Wolverhampton."""
    west_midlands = Area.objects.create(name="West Midlands", slug="west-midlands")
    dudley = Area.objects.create(name="Dudley borough", slug="dudley-borough", parent=west_midlands)
    melissa = make_user("melissa", "melissa@example.org")
    stourbridge = make_surgery("Stourbridge Social Media Surgery", "stourbridge", melissa)
    halesowen = make_surgery(
        "Halesowen Social Media Surgery", "halesowen", make_user("hal", "hal@example.org")
    )
    Surgery.objects.filter(pk__in=[stourbridge.pk, halesowen.pk]).update(area=dudley)
    # Elsewhere, with no area: the calendar lists it under "Other places".
    bilston = make_surgery("Bilston Social Media Surgery", "bilston", make_user("bo", "b@x.org"))
    # Melissa's second surgery has nothing planned, so it can close.
    brierley = make_surgery("Brierley Hill Social Media Surgery", "brierley-hill", melissa)
    brierley.area = dudley
    brierley.save(update_fields=["area"])
    venue = Venue.objects.create(
        surgery=stourbridge, name="The Lion Café", address="1 High Street, Stourbridge"
    )
    sessions = [
        add_session(stourbridge, 3, venue),
        add_session(stourbridge, 31, venue),
        add_session(halesowen, 10),
        add_session(bilston, 5),
    ]
    # A proposal nobody has looked at yet: the dashboard lists it, the public never sees it.
    waiting = make_surgery("Lye Social Media Surgery", "lye", make_user("lee", "lee@x.org"))
    Surgery.objects.filter(pk=waiting.pk).update(approved_at=None, area=dudley)
    add_session(waiting, 4)
    cora = make_user("cora", "cora@example.org")
    Coordinator.objects.create(user=cora, area=west_midlands)
    admin = make_user("nadia", "nadia@example.org")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    return {
        "sessions": sessions,
        "melissa": cookie_for(melissa),
        "cora": cookie_for(cora),
        "admin": cookie_for(admin),
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_calendar_organisers_areas_dashboard_and_closing(topics_put_back, live_server, chromium):
    network = make_network()
    stourbridge_soon, stourbridge_later, halesowen_soon, bilston_soon = network["sessions"]
    later_month = stourbridge_later.date.strftime("%Y-%m")
    # Filtered to the West Midlands and one month: Bilston, with no area, is left out.
    in_later_month = sorted(
        s.date
        for s in (stourbridge_soon, stourbridge_later, halesowen_soon)
        if s.date.strftime("%Y-%m") == later_month
    )
    copied_date = stourbridge_soon.date + dt.timedelta(weeks=1)
    check = PageChecks()

    with chromium as browser:
        # The network calendar, for anyone: Dudley borough's sessions, then other places.
        page = signed_in(browser, None, live_server.url)
        page.goto(f"{live_server.url}/calendar/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Calendar of surgeries")
        expect(page.get_by_role("heading", level=2)).to_have_text(
            ["Dudley borough", "Other places"]
        )
        dudley = page.get_by_role("region", name="Dudley borough")
        expect(dudley.get_by_role("listitem")).to_have_count(3)
        expect(dudley.get_by_role("link").first).to_have_attribute(
            "href", f"/sessions/{stourbridge_soon.pk}/"
        )
        others = page.get_by_role("region", name="Other places")
        expect(others).to_contain_text("Bilston Social Media Surgery")
        expect(others).to_contain_text("Online")
        expect(page.get_by_text("Lye Social Media Surgery")).to_have_count(0)
        check(page, "the calendar")

        page.get_by_label(re.compile("^Area")).select_option(label="West Midlands")
        page.get_by_label(re.compile("^Month")).select_option(value=later_month)
        page.get_by_role("button", name="Show sessions").click()
        expect(page).to_have_url(re.compile(r"\?area=west-midlands&month=\d{4}-\d{2}$"))
        expect(page.get_by_role("heading", level=2)).to_have_text(["Dudley borough"])
        expect(page.locator(".calendar-date")).to_have_text(
            [dateformat.format(day, "D j M") for day in in_later_month]
        )
        expect(page.get_by_role("link", name="Show all")).to_be_visible()
        check(page, "the calendar, filtered")
        page.context.close()

        # Melissa invites a co-organiser for Stourbridge.
        page = signed_in(browser, network["melissa"], live_server.url)
        page.goto(f"{live_server.url}/surgeries/stourbridge/organisers/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Organisers")
        expect(page.get_by_text("melissa@example.org (you)")).to_be_visible()
        check(page, "organisers")
        page.get_by_label(re.compile("^Email address")).fill("omar at example")
        page.get_by_role("button", name="Send an invitation").click()
        expect(page.get_by_role("alert")).to_be_visible()
        expect(page.get_by_label(re.compile("^Email address"))).to_have_value("omar at example")
        check(page, "organisers, with an error")
        page.get_by_label(re.compile("^Email address")).fill("Omar@Example.org")
        page.get_by_role("button", name="Send an invitation").click()
        expect(page.locator(".messages")).to_contain_text(
            "We have emailed an invitation to omar@example.org."
        )
        expect(page.get_by_role("button", name="Send again to omar@example.org")).to_be_visible()
        expect(
            page.get_by_role("button", name="Withdraw the invitation to omar@example.org")
        ).to_be_visible()
        check(page, "organisers, with an invitation")

        # Closing Stourbridge waits for its sessions; Brierley Hill has none, and closes.
        page.goto(f"{live_server.url}/surgeries/stourbridge/close/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Close Stourbridge Social Media Surgery?"
        )
        expect(page.get_by_text("It still has sessions coming up.")).to_be_visible()
        expect(page.get_by_role("button", name="Close the surgery")).to_have_count(0)
        check(page, "close, with sessions coming up")
        page.goto(f"{live_server.url}/surgeries/brierley-hill/")
        page.get_by_role("link", name="Close this surgery").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Close Brierley Hill Social Media Surgery?"
        )
        expect(page.get_by_role("link", name="Keep it open")).to_be_visible()
        check(page, "close, the confirm page")
        page.get_by_role("button", name="Close the surgery").click()
        expect(page).to_have_url(f"{live_server.url}/surgeries/brierley-hill/")
        expect(page.locator(".messages")).to_contain_text("The surgery is closed.")
        expect(page.get_by_role("heading", level=2, name="This surgery has closed")).to_be_visible()
        check(page, "a closed surgery")
        page.get_by_role("link", name="Reopen it").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Reopen Brierley Hill Social Media Surgery?"
        )
        expect(page.get_by_role("button", name="Reopen the surgery")).to_be_visible()
        check(page, "reopen, the confirm page")

        # Copying a session fills in the new-session form; nothing is saved yet.
        page.goto(f"{live_server.url}/sessions/{stourbridge_soon.pk}/copy/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a session")
        expect(page.get_by_text("Nothing is saved until you press")).to_be_visible()
        expect(page.get_by_label("Date", exact=True)).to_have_value(copied_date.isoformat())
        check(page, "copy a session")
        page.context.close()

        # Cora coordinates the West Midlands: she sees Dudley borough's surgeries in it.
        page = signed_in(browser, network["cora"], live_server.url)
        page.goto(f"{live_server.url}/network/areas/west-midlands/")
        expect(page.get_by_role("heading", level=1)).to_have_text("West Midlands")
        expect(page.get_by_role("link", name="Dudley borough")).to_be_visible()
        surgeries = page.get_by_role("region", name="Surgeries", exact=True)
        rows = surgeries.get_by_role("row")
        expect(rows).to_have_count(5)  # a heading row and four surgeries
        expect(rows.filter(has_text="Lye")).to_contain_text("Waiting for approval")
        expect(rows.filter(has_text="Brierley Hill")).to_contain_text("Closed")
        expect(rows.filter(has_text="Stourbridge")).to_contain_text("Active")
        upcoming = page.get_by_role("region", name="Sessions coming up", exact=True)
        expect(upcoming.get_by_role("row").filter(has_text="Stourbridge")).to_have_count(2)
        expect(upcoming).not_to_contain_text("Bilston")
        expect(page.get_by_role("link", name="Coordinators")).to_have_count(0)
        check(page, "an area, for its coordinator")
        page.context.close()

        # Nadia, a network admin, on the dashboard.
        page = signed_in(browser, network["admin"], live_server.url)
        page.goto(f"{live_server.url}/network/")
        expect(page.get_by_role("heading", level=1)).to_have_text("The network")
        figures = page.locator(".figure-value")
        # Listed (Stourbridge, Halesowen, Bilston), none for one organisation's members,
        # waiting (Lye), closed (Brierley Hill), and three public sessions in the next four
        # weeks (Stourbridge's second is in 31 days).
        expect(figures).to_have_text(["3", "0", "1", "1", "3"])
        proposals = page.get_by_role("region", name="Proposals waiting")
        expect(proposals.get_by_role("link", name="Lye Social Media Surgery")).to_be_visible()
        regions = page.get_by_role("region", name="Regions")
        expect(regions.get_by_role("row")).to_have_count(2)  # a heading row and West Midlands
        expect(regions).to_contain_text("1 coordinator looks after 1 of them.")
        check(page, "the network's dashboard")

        # From every area to Dudley borough, to appoint its coordinators.
        regions.get_by_role("link", name="All areas").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Areas")
        areas = page.get_by_role("region", name="Each area, its surgeries and who coordinates it")
        expect(areas.get_by_role("row")).to_have_count(3)
        check(page, "every area")
        areas.get_by_role("link", name="Dudley borough").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Dudley borough")
        check(page, "an area, for a network admin")
        page.get_by_role("link", name="Coordinators").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Coordinators of Dudley borough")
        expect(page.get_by_text("Nobody coordinates this area yet.")).to_be_visible()
        check(page, "coordinators")
        for email in ("cora@example.org", "dan@example.org"):
            page.get_by_label(re.compile("^Email address")).fill(email)
            page.get_by_role("button", name="Appoint").click()
            expect(page.locator(".messages")).to_contain_text(email)
        expect(page.get_by_role("button", name="Remove cora@example.org")).to_be_visible()
        expect(
            page.get_by_role("button", name="Withdraw the invitation to dan@example.org")
        ).to_be_visible()
        check(page, "coordinators, one appointed and one invited")

    invitation = Invitation.objects.get(kind=Invitation.Kind.ORGANISER)
    assert (invitation.email, invitation.surgery.slug) == ("omar@example.org", "stourbridge")
    assert invitation.sent_at is not None
    invited = Invitation.objects.get(kind=Invitation.Kind.COORDINATOR)
    assert (invited.email, invited.area.slug) == ("dan@example.org", "dudley-borough")
    assert set(
        Coordinator.objects.filter(user__email="cora@example.org").values_list(
            "area__slug", flat=True
        )
    ) == {"west-midlands", "dudley-borough"}
    # Copying saved nothing: Stourbridge still has its two sessions.
    assert Session.objects.filter(surgery__slug="stourbridge").count() == 2
    assert Surgery.objects.get(slug="brierley-hill").closed_at is not None
    assert Surgery.objects.get(slug="stourbridge").closed_at is None
    check.assert_none()
