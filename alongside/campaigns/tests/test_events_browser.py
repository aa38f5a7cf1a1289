"""On a phone: a lead adds an event, and a visitor books a place from the chapter's page.
Each page passes axe-core and fits 360 px."""

from __future__ import annotations

import os

import pytest

from alongside.bookings.models import Booking
from alongside.browsertest import HEIGHT, PHONE, PageChecks, phone_page
from alongside.campaigns.models import VolunteerRole
from alongside.campaigns.tests.helpers import make_campaign, make_chapter, make_volunteer

SHOTS = os.environ.get("CAMPAIGN_SHOTS")  # a folder, to keep screenshots while working


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_adds_an_event_and_a_visitor_books_it(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    campaign = make_campaign("One Night for Water", days_from_now=30)
    make_chapter(campaign, "Birmingham")
    lead = make_volunteer(campaign.chapters.get(), "lee-lead", role=VolunteerRole.LEAD).user
    check = PageChecks()
    chapter_url = f"{live_server.url}/campaigns/{campaign.slug}/birmingham/"

    with chromium as browser:
        page = phone_page(browser, live_server.url, lead)
        page.goto(f"{chapter_url}events/")
        check(page, "events (empty)")
        page.get_by_label("Name of the event").fill("Quiz night at the Red Lion")
        page.get_by_label("Date").fill(str(campaign.starts_on))
        page.get_by_label("Starts at").fill("19:30")
        page.get_by_label("Ends at").fill("22:00")
        page.get_by_label("Where: the venue's name").fill("The Red Lion")
        page.get_by_label("The venue's address").fill("12 Digbeth, Birmingham")
        page.get_by_label("How many places").fill("40")
        page.get_by_label("Suggested donation on the night, in GBP").fill("5")
        page.get_by_role("button", name="Add the event").click()
        page.wait_for_url(f"{chapter_url}events/")
        assert "0 booked of 40 places." in page.content()
        check(page, "events (one)")
        shot(page, "events")
        page.context.close()

        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(chapter_url)
        check(page, "chapter with an event")
        shot(page, "chapter-with-event")
        assert "Free. Suggested donation: £5 on the night." in page.content()
        button = page.get_by_role("link", name="Book a place · Quiz night at the Red Lion")
        box = button.bounding_box()
        assert box is not None
        # The button to book on the first screen, under the chapter's progress.
        assert box["y"] + box["height"] <= HEIGHT, box
        page.get_by_role("link", name="Quiz night at the Red Lion", exact=True).click()
        page.wait_for_url("**/sessions/*/")
        check(page, "an event's page")
        shot(page, "event-page")
        assert "Help at this session" not in page.content()
        page.go_back()
        button.click()
        page.wait_for_url("**/book/")
        check(page, "book an event")
        shot(page, "book-event")
        # The form and its button on a phone's first screen, with nothing about help asked.
        assert "What would you like to achieve?" not in page.content()
        name_box = page.get_by_label("Your name").bounding_box()
        assert name_box is not None and name_box["y"] + name_box["height"] <= HEIGHT
        page.get_by_label("Your name").fill("Pat Jones")
        page.get_by_label("Your email address").fill("pat@example.org")
        page.get_by_role("button", name="Book my place").click()
        page.wait_for_url("**/bookings/**")
        check(page, "booked")
        shot(page, "booked")
        assert Booking.objects.get().status == Booking.Status.BOOKED
        context.close()
    check.assert_none()
