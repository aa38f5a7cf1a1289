"""On a phone: an admin starts a staff surgery from the space; a member books it; anyone else
is told whose members it is for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.bookings.models import Booking
from alongside.browsertest import WIDTH, PageChecks, phone_page
from alongside.organisations.models import Role, Team
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Audience, Session, Surgery, Topic
from alongside.surgeries.topics import ensure_topics

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_starts_a_staff_surgery_and_a_member_books_it_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    org = make_organisation("Dudley Council")
    digital = Team.objects.create(organisation=org, name="Digital")
    anita = make_member(org, "anita", role=Role.ADMIN, team=digital, name="Anita Sharma")
    gary = make_member(org, "gary", team=digital, name="Gary Pearson")
    drop_in = Surgery.objects.create(
        name="Council House drop-in",
        slug="council-house-drop-in",
        place_name="Dudley",
        description="Help for anyone.",
        who_for="Anyone.",
        contact_email="anita@example.org",
        audience=Audience.BOTH,
        members_of=org,
        approved_at=timezone.now(),
    )
    drop_in.organisers.add(anita.user)
    Session.objects.create(
        surgery=drop_in,
        date=timezone.localdate() + dt.timedelta(days=5),
        start_time=dt.time(12),
        end_time=dt.time(14),
        online_url="https://meet.example.org/council",
        help_places=6,
        member_places=2,
        surgeon_places=3,
    )
    check = PageChecks()
    base = f"{live_server.url}/organisations/{org.slug}"

    with chromium as browser:
        page = phone_page(browser, live_server.url, anita.user)
        page.goto(f"{base}/")
        page.get_by_role("link", name="Our surgeries").click()
        page.wait_for_url(f"{base}/surgeries/")
        check(page, "our surgeries")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/own-surgeries.png", full_page=True)
        page.get_by_label("Name of the surgery").fill("Staff digital surgery")
        page.get_by_label("Only our members: staff, trustees and volunteers").check()
        page.get_by_label("Town").fill("Dudley")
        page.get_by_label("What happens at this surgery").fill("Bring your lunch and a question.")
        page.get_by_label("Where it meets").fill("Committee Room 2")
        page.get_by_label("Address (optional)").fill("Priory Road, Dudley")
        page.get_by_role("button", name="Start the surgery").click()
        page.wait_for_url("**/sessions/new/")
        check(page, "first session")
        page.goto(f"{base}/surgeries/council-house-drop-in/who-can-come/")
        check(page, "who can come")
        page.goto(f"{live_server.url}/sessions/{drop_in.sessions.get().pk}/edit/")
        assert page.get_by_label("Of these, places kept for our members").input_value() == "2"
        check(page, "session form for both")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/session-form.png", full_page=True)

        surgery = Surgery.objects.get(name="Staff digital surgery")
        assert surgery.members_of == org and surgery.approved_at is not None
        session = Session.objects.create(
            surgery=surgery,
            date=timezone.localdate() + dt.timedelta(days=2),
            start_time=dt.time(12, 30),
            end_time=dt.time(13, 30),
            venue=surgery.venues.get(),
            help_places=4,
            surgeon_places=2,
        )

        page = phone_page(browser, live_server.url, gary.user)
        page.goto(f"{base}/")
        heading = page.get_by_role("heading", name="Surgeries for us")
        # What a member came for is on the first screen.
        box = heading.bounding_box()
        assert box is not None and box["y"] < 740, box
        check(page, "space with surgeries for us")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/space-for-us.png")
        page.get_by_role("link", name=f"Book a place on {session.date:%-d %B}").click()
        page.wait_for_url(f"**/sessions/{session.pk}/book/")
        check(page, "book as a member")
        page.get_by_label("Your name").fill("Gary Pearson")
        page.get_by_label("What would you like to achieve?").fill(
            "Post on the team's Facebook page"
        )
        page.get_by_role("button", name="Book my place").click()
        page.wait_for_url("**/bookings/**")

        page = phone_page(browser, live_server.url, None)
        page.goto(f"{live_server.url}/sessions/{session.pk}/book/")
        expect(page.get_by_text("This surgery is for members of Dudley Council.")).to_be_visible()
        assert "Staff digital surgery" not in page.content()
        check(page, "members only, for a visitor")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/members-only.png")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, width

    booking = Booking.objects.get(session=session)
    assert booking.as_member and booking.status == "booked"
    check.assert_none()
