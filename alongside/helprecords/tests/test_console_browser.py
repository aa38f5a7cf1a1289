"""Running a whole session from a phone: check people in, add a walk-in, pair them with the
suggested surgeons, end a pairing, record it, and mark who did not come.

On a 360 px screen in Chromium, with axe-core and the sideways-scrolling check at each
step (PageChecks). The board refreshes itself every 5 s with htmx, swapping its HTML, so
the test finds everything by role and text and lets `expect` wait and retry rather than
holding on to elements. Set-up (including the organiser's signed-in session) happens before
the `with chromium as browser:` block and the database checks after it: an ORM call inside
Playwright's event loop would leave a connection open that stops PostgreSQL dropping the
test database.

    uv run pytest alongside/helprecords/tests/test_console_browser.py
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.bookings import services as booking_services
from alongside.bookings.models import Booking
from alongside.browsertest import (
    PHONE,
    PageChecks,
)
from alongside.helprecords.models import HelpRecord, Pairing
from alongside.surgeries.models import Session, Topic, Venue
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user


def book(session: Session, role: str, name: str, topics: list[str]) -> Booking:
    email = f"{name.split()[0].lower()}@example.org"
    return booking_services.booking_create(
        session=session,
        role=role,
        details=booking_services.BookingDetails(
            name=name,
            email=email,
            goal="Tell more people about our litter picks" if role == Booking.Role.HELP else "",
            consent_contact=True,
            topics=list(Topic.objects.filter(slug__in=topics)),
        ),
    )


def make_today() -> tuple[Session, str]:
    """Stourbridge running all day today, and the organiser's signed-in session cookie."""
    ensure_topics(Topic)
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    venue = Venue.objects.create(
        surgery=surgery, name="The Lion Café", address="1 High Street, Stourbridge"
    )
    session = Session.objects.create(
        surgery=surgery,
        date=timezone.localdate(),
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 59),
        venue=venue,
        help_places=8,
        surgeon_places=3,
    )
    book(session, Booking.Role.HELP, "Pat Jones", ["facebook"])
    book(session, Booking.Role.HELP, "Ann Lowe", ["website"])
    book(session, Booking.Role.HELP, "Nora Payne", ["newsletters"])  # she will not come
    book(session, Booking.Role.SURGEON, "Sam Hill", ["facebook", "instagram"])
    book(session, Booking.Role.SURGEON, "Lee Cole", ["website"])
    # Signing in is by emailed code; the browser borrows a session made here instead.
    client = Client()
    client.force_login(organiser)
    return session, client.cookies[settings.SESSION_COOKIE_NAME].value


def card(page: Page, name: str):
    """A waiting person's card, found afresh each time: the board is swapped every 5 s."""
    return page.locator("#board li.card.waiting").filter(has_text=name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_running_a_session_from_a_phone(topics_put_back, live_server, chromium):
    session, session_cookie = make_today()
    console = f"{live_server.url}/sessions/{session.pk}/console/"
    check = PageChecks()

    with chromium as browser:
        try:
            # Longer than one refresh of the board, so a board swapped mid-check is seen again.
            expect.set_options(timeout=10_000)
            context = browser.new_context(**PHONE)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session_cookie,
                        "url": live_server.url,
                        "httpOnly": True,
                    }
                ]
            )
            page = context.new_page()
            page.set_default_timeout(10_000)
            # The first page loads SciPy for the suggestions: slow on a busy machine.
            page.set_default_navigation_timeout(60_000)

            page.goto(console)
            expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Running "))
            board = page.locator("#board")
            expect(board).to_contain_text("0 people waiting")
            expect(page.get_by_text("5 people booked but have not checked in.")).to_be_visible()
            check(page, "console, before anyone comes")

            # One tap each: the two people who booked, and both surgeons.
            for name in ("Pat Jones", "Ann Lowe", "Sam Hill", "Lee Cole"):
                page.get_by_role("button", name=f"Check in {name}").click()
                expect(page.get_by_role("status")).to_contain_text(f"{name} is here.")
                expect(page.get_by_role("button", name=f"Check in {name}")).to_have_count(0)
            expect(page.get_by_role("button", name="Check in Nora Payne")).to_be_visible()
            expect(board).to_contain_text("2 people waiting")
            check(page, "console, after check-ins")

            # A walk-in, with nothing but a name.
            walk_in = page.get_by_role("region", name="Add a walk-in")
            expect(walk_in.get_by_role("radio", name="Get help")).to_be_checked()
            walk_in.get_by_label("Name").fill("Wally Green")
            walk_in.get_by_role("button", name="Add and check in").click()
            expect(page.get_by_role("status")).to_contain_text("Wally Green is added")
            expect(board).to_contain_text("3 people waiting")
            expect(card(page, "Wally Green")).to_contain_text("Walk-in")

            # The board suggests the surgeon who knows each person's topic.
            expect(
                card(page, "Pat Jones").get_by_role("button", name="Pair with Sam Hill")
            ).to_be_visible()
            expect(
                card(page, "Ann Lowe").get_by_role("button", name="Pair with Lee Cole")
            ).to_be_visible()
            # Two surgeons for three people: the walk-in can still choose one by hand.
            expect(
                card(page, "Wally Green").get_by_role("button", name=re.compile("^Pair with"))
            ).to_have_count(0)
            expect(card(page, "Wally Green")).to_contain_text("Choose a surgeon")
            check(page, "console, with suggestions")

            card(page, "Pat Jones").get_by_role("button", name="Pair with Sam Hill").click()
            expect(board).to_contain_text("Sam Hill with Pat Jones")
            card(page, "Ann Lowe").get_by_role("button", name="Pair with Lee Cole").click()
            expect(board).to_contain_text("Lee Cole with Ann Lowe")
            expect(board).to_contain_text("1 person waiting")
            expect(board).to_contain_text("Nobody free: every surgeon here is helping someone.")
            expect(card(page, "Wally Green")).to_contain_text("No surgeon is free just now.")
            check(page, "console, after pairing")

            # Pat and Sam are done: Sam is free again, suggested for the walk-in.
            page.get_by_role("button", name="Done with Pat Jones").click()
            expect(page.get_by_role("button", name="Done with Pat Jones")).to_have_count(0)
            expect(
                card(page, "Wally Green").get_by_role("button", name="Pair with Sam Hill")
            ).to_be_visible()
            record = page.get_by_role("region", name="Record what was done")
            record.get_by_role("link", name="Pat Jones with Sam Hill").click()

            # One screen: who, what, a link and how long, with the pairing filled in.
            expect(page.get_by_role("heading", level=1)).to_have_text("Record help")
            expect(page.get_by_label("Who was helped?")).to_have_value(re.compile(r"\d+"))
            expect(page.get_by_label("Who was helped?").locator("option:checked")).to_have_text(
                "Pat Jones"
            )
            expect(
                page.get_by_label("Which surgeon helped?").locator("option:checked")
            ).to_have_text("Sam Hill")
            expect(page.get_by_label("Facebook", exact=True)).to_be_checked()
            check(page, "record form")
            page.get_by_label("What was done?").fill(
                "Set up a Facebook page and posted the first litter pick"
            )
            page.get_by_label("Links to anything set up or improved").fill(
                "facebook.com/stourbridgelitterpickers"
            )
            page.get_by_label("Minutes spent").fill("35")
            page.get_by_role("button", name="Save").click()

            # Back on the console, the record is done and Nora never came.
            expect(page).to_have_url(console)
            expect(page.get_by_role("status")).to_contain_text("Recorded.")
            expect(page.get_by_role("region", name="Record what was done")).to_have_count(0)
            expect(page.get_by_text("1 person booked but has not checked in.")).to_be_visible()
            page.get_by_role("button", name="Mark everyone not checked in as did not come").click()
            expect(page.get_by_role("status")).to_contain_text("1 person marked as did not come.")
            # Still there, under "Marked as did not come", should she turn up late after all.
            expect(page.get_by_role("heading", name="Marked as did not come")).to_be_visible()
            expect(page.get_by_role("button", name=re.compile("^Check in"))).to_have_count(1)
            expect(page.get_by_text("0 people booked but have not checked in.")).to_be_visible()
            check(page, "console, after no-shows")
        finally:
            expect.set_options(timeout=None)

    people = Booking.objects.filter(session=session, role=Booking.Role.HELP)
    came = people.filter(status=Booking.Status.ATTENDED, checked_in_at__isnull=False)
    assert sorted(came.values_list("name", flat=True)) == ["Ann Lowe", "Pat Jones", "Wally Green"]
    assert came.get(name="Wally Green").walk_in
    assert list(people.filter(status=Booking.Status.NO_SHOW).values_list("name", flat=True)) == [
        "Nora Payne"
    ]
    surgeons = Booking.objects.filter(session=session, role=Booking.Role.SURGEON)
    assert set(surgeons.values_list("status", flat=True)) == {Booking.Status.ATTENDED}
    pairings = Pairing.objects.filter(session=session).select_related("person", "surgeon")
    assert sorted((p.person.name, p.surgeon.name, p.is_open) for p in pairings) == [
        ("Ann Lowe", "Lee Cole", True),
        ("Pat Jones", "Sam Hill", False),
    ]
    help_record = HelpRecord.objects.get()
    assert help_record.pairing == pairings.get(person__name="Pat Jones")
    assert (help_record.booking.name, help_record.surgeon.name) == ("Pat Jones", "Sam Hill")
    assert help_record.minutes == 35
    assert help_record.note.startswith("Set up a Facebook page")
    assert [link.url for link in help_record.links.all()] == [
        "https://facebook.com/stourbridgelitterpickers"
    ]
    assert [t.slug for t in help_record.topics.all()] == ["facebook"]

    check.assert_none()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_phones_see_each_others_taps_and_nothing_else_moves(
    topics_put_back, live_server, chromium
):
    session, session_cookie = make_today()
    console = f"{live_server.url}/sessions/{session.pk}/console/"
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": session_cookie,
        "url": live_server.url,
        "httpOnly": True,
    }

    with chromium as browser:
        phones = []
        for _ in range(2):
            context = browser.new_context(**PHONE)
            context.add_cookies([cookie])
            page = context.new_page()
            page.set_default_navigation_timeout(60_000)
            page.goto(console)
            phones.append(page)
        mine, theirs = phones
        # The board is made again each minute (how long people have waited): watch within one.
        second = dt.datetime.now(dt.UTC).second
        if second > 40:
            mine.wait_for_timeout((61 - second) * 1000)
        mine.reload()
        refreshes: list[int] = []
        mine.on(
            "response",
            lambda r: refreshes.append(r.status) if "?seen=" in r.url else None,
        )
        # A mark on the board as it is: a swap would take it away.
        mine.evaluate("document.getElementById('board').dataset.kept = 'yes'")
        mine.wait_for_timeout(11_000)  # two refreshes
        assert refreshes and set(refreshes) <= {204}, refreshes
        expect(mine.locator("#board[data-kept=yes]")).to_have_count(1)
        expect(mine.locator("#board")).to_contain_text("0 people waiting")

        # A tap on the other phone is on this one by its next refresh.
        theirs.get_by_role("button", name="Check in Pat Jones").click()
        expect(theirs.get_by_role("status")).to_contain_text("Pat Jones is here.")
        expect(mine.locator("#board")).to_contain_text("1 person waiting", timeout=10_000)
        expect(mine.locator("#board[data-kept=yes]")).to_have_count(0)
        assert 200 in refreshes
