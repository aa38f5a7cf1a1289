"""On a phone: an organiser invites the groups a themed session in a park is for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alongside.bookings import services as booking_services
from alongside.bookings.models import Booking
from alongside.browsertest import WIDTH, PageChecks, phone_page
from alongside.groups.models import GroupInvitation
from alongside.groups.tests.helpers import make_group_at, park_venue
from alongside.surgeries.models import Organisation, Session, Topic
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user, run_due_tasks

SHOTS = None  # a folder path, to keep screenshots of each page while working on them
SPORTS, FRIENDS = Organisation.Kind.SPORTS_CLUB, Organisation.Kind.FRIENDS_GROUP


def contact(session, name: str, group: Organisation) -> None:
    booking = booking_services.booking_create(
        session=session,
        role=Booking.Role.HELP,
        details=booking_services.BookingDetails(
            name=name,
            email=f"{name.lower()}@example.org",
            organisation_name=group.name,
            consent_contact=True,
        ),
    )
    Booking.objects.filter(pk=booking.pk).update(consent_group_news=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_invites_groups_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Halesowen Social Media Surgery", "halesowen", organiser)
    park = park_venue(surgery)
    earlier = Session.objects.create(
        surgery=surgery,
        venue=park,
        date=timezone.localdate() + dt.timedelta(days=3),
        start_time=dt.time(10),
        end_time=dt.time(12),
        help_places=20,
        surgeon_places=5,
    )
    themed = Session.objects.create(
        surgery=surgery,
        venue=park,
        date=timezone.localdate() + dt.timedelta(days=20),
        start_time=dt.time(10),
        end_time=dt.time(12),
        help_places=20,
        surgeon_places=5,
        for_kinds=[SPORTS, FRIENDS],
        for_miles=3,
    )
    harriers = make_group_at("Halesowen Harriers", SPORTS, (52.4490, -2.0500))
    friends = make_group_at("Friends of Leasowes", FRIENDS, (52.4585, -2.0490))
    make_group_at("Friends of Priory Park", FRIENDS, (52.5150, -2.0900))  # 4 miles: not listed
    make_group_at("Stourbridge Rugby Club", SPORTS, (52.4560, -2.1050))
    contact(earlier, "Hana", harriers)
    contact(earlier, "Hugo", harriers)
    contact(earlier, "Fran", friends)
    check = PageChecks()
    url = f"{live_server.url}/sessions/{themed.pk}/groups/"

    with chromium as browser:
        page = phone_page(browser, live_server.url, organiser)
        page.goto(f"{live_server.url}/sessions/{themed.pk}/edit/")
        kinds = page.get_by_role("group", name="Is this session for particular kinds of group?")
        expect(kinds.get_by_label("Sports club")).to_be_checked()
        expect(kinds.get_by_label("Arts group")).not_to_be_checked()
        expect(page.get_by_label("Within how many miles of the venue?")).to_have_value("3")
        check(page, "session form")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/session-form.png", full_page=True)
        page.goto(f"{live_server.url}/sessions/{themed.pk}/")
        expect(page.get_by_text("within 3 miles of Leasowes Park")).to_be_visible()
        expect(page.get_by_role("heading", name="This session is outdoors")).to_be_visible()
        check(page, "session page")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/session.png", full_page=True)
        page.get_by_role("link", name="Invite groups").click()
        page.wait_for_url(url)
        # What the organiser came for is on the first screen: the groups, nearest first.
        first = page.get_by_label("Friends of Leasowes")
        expect(first).to_be_in_viewport()
        expect(first).to_be_checked()
        expect(page.get_by_label("Halesowen Harriers")).to_be_checked()
        expect(page.get_by_label("Stourbridge Rugby Club")).not_to_be_checked()
        expect(page.get_by_text("Friends of Priory Park")).to_have_count(0)
        expect(page.get_by_text("2 contacts")).to_be_visible()
        assert "hana@example.org" not in page.content()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, width
        check(page, "invitation list")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/groups.png")
            page.screenshot(path=f"{SHOTS}/groups-full.png", full_page=True)
        page.get_by_label("A note from you").fill("Come and meet the other groups in the park.")
        page.get_by_role("button", name="Send invitations").click()
        expect(page.get_by_text("Invitations are on their way to 2 groups.")).to_be_visible()
        expect(page.get_by_text("No reply yet.")).to_have_count(2)
        check(page, "after inviting")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/invited.png", full_page=True)

    assert GroupInvitation.objects.count() == 2
    run_due_tasks()
    invited = [m for m in mail.outbox if "is invited" in m.subject]
    assert sorted(m.to[0] for m in invited) == [
        "fran@example.org",
        "hana@example.org",
        "hugo@example.org",
    ]
    check.assert_none()
