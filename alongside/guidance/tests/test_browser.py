"""The handbook and the guidance sheets in a real browser, on a 360 px phone: reading the
handbook and printing it, finding sheets by topic, and an organiser writing a sheet with a
preview. Every page goes through axe-core and the sideways-scrolling check (PageChecks).

Set-up happens before the `with chromium as browser:` block and the database checks after it,
as in the other browser tests: no ORM call runs on Playwright's event loop.

    uv run pytest alongside/guidance/tests/test_browser.py
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from alongside.browsertest import PHONE, PageChecks
from alongside.guidance import demo
from alongside.guidance.handbook import CHAPTERS
from alongside.guidance.models import Sheet
from alongside.surgeries.models import Topic
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user

# A long web address with nowhere to break: it must wrap, not widen the page.
LONG_LINK = "https://example.org/" + "a-very-long-path-with-no-spaces-" * 6
SHEET = f"""## Before you start

Agree who in your group will **look after** the page.

- Choose a name people search for
- Add a photo of your group at work

See <{LONG_LINK}> for an example.

<script>alert("no")</script>
"""


def visible_main_nav(page: Page) -> None:
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reading_printing_and_writing_guidance(topics_put_back, live_server, chromium):
    ensure_topics(Topic)
    organiser = make_user("melissa", "melissa@example.org")
    make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    demo.add_demo()
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    facebook_sheets = sorted(
        Sheet.objects.filter(topics__slug="facebook").values_list("title", flat=True)
    )
    check = PageChecks()

    with chromium as browser:
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(10_000)

        # The handbook's contents, and one chapter.
        page.goto(f"{live_server.url}/handbook/")
        expect(page.get_by_role("heading", level=1)).to_have_text("The organiser's handbook")
        expect(page.locator("ol.chapters > li")).to_have_count(len(CHAPTERS))
        check(page, "the handbook")
        page.get_by_role("link", name=str(CHAPTERS[1].title), exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/handbook/{CHAPTERS[1].slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(str(CHAPTERS[1].title))
        chapters = page.get_by_role("navigation", name="Chapters")
        expect(chapters.get_by_role("link", name=str(CHAPTERS[0].title))).to_have_attribute(
            "rel", "prev"
        )
        expect(chapters.get_by_role("link", name=str(CHAPTERS[2].title))).to_have_attribute(
            "rel", "next"
        )
        check(page, "a chapter")

        # Printed, a chapter is its words: no menus, no chapter links.
        page.emulate_media(media="print")
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        expect(chapters).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.emulate_media(media="screen")
        visible_main_nav(page)

        # "Next" leads through the rest of the chapters, each checked in turn.
        following = chapters.locator("a[rel=next]")
        for chapter in CHAPTERS[2:]:
            expect(following).to_have_text(str(chapter.title))
            following.click()
            expect(page).to_have_url(f"{live_server.url}/handbook/{chapter.slug}/")
            expect(page.get_by_role("heading", level=1)).to_have_text(str(chapter.title))
            check(page, f"the chapter {chapter.slug}")
        expect(following).to_have_count(0)

        # The whole handbook on one page, to print.
        chapters.get_by_role("link", name="The whole handbook, to print").click()
        expect(page).to_have_url(f"{live_server.url}/handbook/print/")
        contents = page.get_by_role("navigation", name="Contents")
        expect(contents.get_by_role("link")).to_have_count(len(CHAPTERS))
        expect(page.locator("section.chapter")).to_have_count(len(CHAPTERS))
        expect(page.locator(".print-only")).to_be_hidden()
        check(page, "the handbook, to print")
        page.emulate_media(media="print")
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        expect(page.locator(".site-footer")).to_be_hidden()
        expect(page.locator(".breadcrumb")).to_be_hidden()
        expect(page.locator(".print-only")).to_be_visible()
        # Every chapter starts a new page; links are written out after their words.
        breaks = page.locator("section.chapter").evaluate_all(
            "(els) => els.map((el) => getComputedStyle(el).breakBefore)"
        )
        assert breaks == ["page"] * len(CHAPTERS), breaks
        check(page, "the handbook, printed")
        page.emulate_media(media="screen")
        visible_main_nav(page)

        # The sheets, then only those about Facebook.
        page.goto(f"{live_server.url}/guidance/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Guidance sheets")
        sheets = page.locator(".sheet-list > li")
        expect(sheets).to_have_count(len(demo.sheet_files()))
        check(page, "the sheets")
        topics = page.get_by_role("navigation", name="Topics")
        topics.get_by_role("link", name="Facebook", exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/guidance/?topic=facebook")
        expect(topics.get_by_role("link", name="Facebook", exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        expect(sheets.get_by_role("heading", level=2)).to_have_text(facebook_sheets)
        expect(page).to_have_title(f"Guidance sheets about Facebook – {settings.SITE_NAME}")
        check(page, "the sheets about Facebook")

        # A sheet, on screen and printed.
        page.get_by_role("link", name="Setting up a Facebook page for your group").click()
        expect(page).to_have_url(f"{live_server.url}/guidance/facebook-page-for-your-group/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Setting up a Facebook page for your group"
        )
        expect(page.get_by_role("link", name="Edit this sheet")).to_have_count(0)
        check(page, "a sheet")
        page.emulate_media(media="print")
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        expect(page.locator(".print-only")).to_be_visible()
        page.emulate_media(media="screen")
        page.context.close()

        # Melissa organises a surgery, so she may write a sheet.
        context = browser.new_context(**PHONE)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie,
                    "url": live_server.url,
                    "httpOnly": True,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/guidance/")
        page.get_by_role("link", name="Write a sheet").click()
        expect(page).to_have_url(f"{live_server.url}/guidance/new/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Write a sheet")
        check(page, "write a sheet")

        # Sent with nothing in it, it says what is missing, next to each field.
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_be_visible()
        expect(page.get_by_text("Give the sheet a title.").last).to_be_visible()
        check(page, "write a sheet, with errors")

        page.get_by_label("Title", exact=True).fill("Your group's first Instagram post")
        page.get_by_label("In one sentence", exact=True).fill(
            "What to post first, and how to make people want to see more."
        )
        page.get_by_label("The sheet", exact=True).fill(SHEET)
        page.get_by_label("Instagram", exact=True).check()
        page.get_by_role("button", name="Preview").click()
        preview = page.get_by_role("region", name="Preview")
        expect(preview.get_by_role("heading", name="Before you start")).to_be_visible()
        expect(preview.locator("strong")).to_have_text("look after")
        expect(preview.get_by_role("listitem")).to_have_count(2)
        expect(preview.get_by_role("link", name=LONG_LINK)).to_have_attribute("href", LONG_LINK)
        expect(preview.locator("script")).to_have_count(0)
        # Nothing typed is lost, and nothing is saved yet.
        expect(page.get_by_label("The sheet", exact=True)).to_have_value(SHEET)
        expect(page.get_by_label("Instagram", exact=True)).to_be_checked()
        check(page, "write a sheet, the preview")

        page.get_by_label("Publish it: anyone can read it").check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Your group's first Instagram post"
        )
        expect(page.locator(".messages")).to_contain_text("Anyone can read the sheet now.")
        expect(page.get_by_role("link", name="Edit this sheet")).to_be_visible()
        expect(page.get_by_role("link", name="Instagram", exact=True)).to_be_visible()
        check(page, "the new sheet")

    sheet = Sheet.objects.get(title="Your group's first Instagram post")
    assert sheet.published
    assert sheet.author == organiser
    assert [t.slug for t in sheet.topics.all()] == ["instagram"]
    assert sheet.body.startswith("## Before you start")
    check.assert_none()
