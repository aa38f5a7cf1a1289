"""On a phone: a volunteer ticks a task and shares what worked; the team reads it."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from alongside.browsertest import WIDTH, PageChecks, phone_page
from alongside.campaigns.models import ChapterStory, ChapterTask, VolunteerRole
from alongside.campaigns.tests.helpers import (
    make_campaign,
    make_chapter,
    make_plan,
    make_team_member,
    make_volunteer,
)

SHOTS = os.environ.get("HUB_SHOTS")  # a folder, to keep screenshots while working on pages


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteer_ticks_a_task_and_shares_what_worked_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    campaign = make_campaign(days_from_now=50)
    team = make_team_member(campaign, "tina-team")
    birmingham = make_chapter(campaign, "Birmingham")
    ann = make_volunteer(birmingham, "ann", role=VolunteerRole.LEAD)
    make_plan(campaign)
    check = PageChecks()
    hub = f"{live_server.url}/campaigns/{campaign.slug}/birmingham/hub/"

    with chromium as browser:
        page = phone_page(browser, live_server.url, ann.user)
        page.goto(hub)
        check(page, "chapter hub")
        shot(page, "hub")
        # The checklist is the first thing on the screen, its first "Done" within reach.
        done = page.get_by_role("button", name=re.compile(r"^Done\W+Start the publicity"))
        box = done.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 740, box
        done.click()
        page.get_by_text("Well done").wait_for()
        shot(page, "hub-after-tick")
        shot(page, "hub-after-tick")
        check(page, "hub after a tick")
        page.get_by_text("1 more thing, if you can").click()
        check(page, "hub with the missed steps open")
        shot(page, "hub-ticked")

        page.get_by_role("link", name="Share what worked for you").click()
        # The form's page, not the hub still unloading: axe read a document half gone.
        expect(page.get_by_role("button", name="Send it to the team")).to_be_visible()
        check(page, "share what worked")
        shot(page, "story-new")
        page.get_by_role("button", name="Send it to the team").click()
        expect(page.get_by_text("There is a problem")).to_be_visible()
        check(page, "share what worked, with an error")
        page.get_by_label("In a few words, what worked?").fill("A pub quiz")
        page.get_by_label("Tell the other chapters about it").fill("Teams of four.\n£5 each.")
        page.get_by_label("Other chapters of this campaign may read it").check()
        page.get_by_role("button", name="Send it to the team").click()
        page.wait_for_url(hub)
        expect(page.get_by_text("The campaign team will read it")).to_be_visible()

        team_page = phone_page(browser, live_server.url, team)
        base = f"{live_server.url}/campaigns/{campaign.slug}/hub/"
        for path, name in [
            ("", "team hub"),
            ("template/", "plan"),
            ("resources/", "resources"),
            ("stories/", "stories to read"),
        ]:
            team_page.goto(base + path)
            check(team_page, name)
            shot(team_page, name.replace(" ", "-"))
        team_page.get_by_role("button", name=re.compile(r"^Show it\W+A pub quiz")).click()
        team_page.goto(base + "announcements/")
        check(team_page, "announcements")
        team_page.get_by_label("Subject").fill("Posters are ready")
        team_page.get_by_label("Message").fill("Print them at the library.")
        team_page.get_by_role("button", name="Preview it").click()
        check(team_page, "announcement preview")
        shot(team_page, "announcement-preview")
        team_page.get_by_role("button", name="Send it").click()
        expect(team_page.get_by_text("on its way")).to_be_visible()
        team_page.goto(f"{live_server.url}/campaigns/{campaign.slug}/stories/")
        check(team_page, "public stories")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH

    task = ChapterTask.objects.get(title="Start the publicity")
    assert task.done_by == ann.user
    story = ChapterStory.objects.get()
    assert story.for_chapters and not story.public and story.status == "approved"
    check.assert_none()
