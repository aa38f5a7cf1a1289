"""Long words and links in what people wrote never make a page scroll sideways on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.browsertest import PHONE, WIDTH, PageChecks
from alongside.helprecords.models import HelpLink, HelpRecord
from alongside.surgeries.models import Session, Surgery, Topic
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user

LONG_WORD = "Supercalifragilistic" * 10
LONG_LINK = "https://example.org/" + "a" * 180


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_long_words_and_links_never_make_a_phone_page_scroll_sideways(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    Surgery.objects.filter(pk=surgery.pk).update(
        description=f"Bring a laptop. {LONG_WORD} and tea.",
        who_for=LONG_WORD,
        host_organisation=LONG_WORD[:120],  # its column holds 120
    )
    times = {"start_time": dt.time(18), "end_time": dt.time(20)}
    times |= {"help_places": 8, "surgeon_places": 3}
    today = timezone.localdate()
    for days in (-1, 7):
        session = Session.objects.create(
            surgery=surgery,
            date=today + dt.timedelta(days=days),
            online_url=LONG_LINK,
            notes=LONG_WORD,
            **times,
        )
    session = Session.objects.get(surgery=surgery, date__lt=today)
    person = Booking.objects.create(
        session=session,
        name="Ann",
        email="ann@example.org",
        status=Booking.Status.ATTENDED,
        goal=LONG_WORD,
    )
    record = HelpRecord.objects.create(
        session=session, booking=person, note=f"Set up {LONG_WORD}", public=True
    )
    HelpLink.objects.create(help_record=record, url=LONG_LINK)
    assert len(LONG_WORD) == 200 and len(LONG_LINK) == 200
    check = PageChecks()

    with chromium as browser:
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(10_000)
        for path in (f"/surgeries/{surgery.slug}/", "/"):
            page.goto(f"{live_server.url}{path}")
            assert page.get_by_text(LONG_LINK).count() >= 1
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= WIDTH, (path, width)
            check(page, path)
    check.assert_none()
