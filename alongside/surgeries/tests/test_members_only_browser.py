"""On a phone: a member opens their organisation's own surgery, and a coordinator the area it
is in, where it is counted but not named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browsertest import PHONE, PageChecks, cookie_for
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Area, Audience, Session, Surgery, Venue
from alongside.test import make_coordinator, make_user

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_and_a_coordinator_on_a_phone(topics_put_back, live_server, monkeypatch, chromium):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    area = Area.objects.create(name="Dudley borough", slug="dudley-borough")
    council = make_organisation("Dudley Council")
    member = make_member(council, "maya").user
    coordinator = make_user("lorna", "lorna@example.org")
    make_coordinator(coordinator, area)
    staff = Surgery.objects.create(
        name="Council Staff Surgery",
        slug="council-staff",
        place_name="Dudley",
        description="Half an hour with someone who knows the council's accounts.",
        who_for="Council staff who post for their service.",
        contact_email="digital@dudley.example",
        area=area,
        audience=Audience.MEMBERS,
        members_of=council,
        approved_at=timezone.now(),
    )
    venue = Venue.objects.create(
        surgery=staff, name="Council House, room 2", address="Priory Road, Dudley"
    )
    session = Session.objects.create(
        surgery=staff,
        date=timezone.localdate() + dt.timedelta(days=5),
        start_time=dt.time(12, 30),
        end_time=dt.time(13, 30),
        venue=venue,
        help_places=6,
        surgeon_places=2,
        notes="Bring your laptop.",
    )
    check = PageChecks()

    with chromium as browser:
        for user, pages in (
            (member, [("surgery", "/surgeries/council-staff/"), ("session", session.pk)]),
            (coordinator, [("area", "/network/areas/dudley-borough/")]),
        ):
            context = browser.new_context(**PHONE)
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": cookie_for(user)}
            context.add_cookies([{**cookie, "url": live_server.url, "httpOnly": True}])
            page = context.new_page()
            page.set_default_timeout(30_000)
            for name, path in pages:
                url = f"/sessions/{path}/" if isinstance(path, int) else path
                page.goto(f"{live_server.url}{url}")
                check(page, name)
                if SHOTS:
                    page.screenshot(path=f"{SHOTS}/members-only-{name}.png", full_page=True)
                if user == member:
                    notice = page.get_by_text("Only for members of Dudley Council")
                    expect(notice).to_be_visible()
                    assert notice.bounding_box()["y"] < PHONE["viewport"]["height"]
                else:
                    expect(page.get_by_text("1 surgery is for one organisation")).to_be_visible()
                    assert page.get_by_text("Council Staff Surgery").count() == 0
            context.close()
    check.assert_none()
