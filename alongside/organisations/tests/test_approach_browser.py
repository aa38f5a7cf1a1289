"""On a phone: a member reads the organisation's policy and says they have read it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.browsertest import HEIGHT, WIDTH, PageChecks, phone_page
from alongside.guidance.models import Sheet
from alongside.organisations import approach_services
from alongside.organisations.models import Acknowledgement, ChosenSheet, Platform, Role, Team
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Topic
from alongside.surgeries.topics import ensure_topics

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_reads_the_policy_and_says_they_have_read_it_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    org = make_organisation()
    staff = Team.objects.create(organisation=org, name="Staff")
    lorna = make_member(org, "lorna-p", role=Role.ADMIN, team=staff, name="Lorna Prescott")
    ann = make_member(org, "ann", team=staff, name="Ann Ward")
    for kind in ("policy", "escalation"):
        approach_services.document_publish(
            organisation=org,
            kind=kind,
            body=approach_services.starting_text(org, kind),
            actor=lorna.user,
            membership=lorna,
        )
    for name in ("Facebook page", "Our website", "Our Flickr account"):
        Platform.objects.create(organisation=org, name=name, purpose="News and events")
    sheet = Sheet.objects.create(
        title="Keeping accounts safe", slug="safe", summary="Passwords", body="b", published=True
    )
    ChosenSheet.objects.create(organisation=org, sheet=sheet)
    check = PageChecks()
    base = f"{live_server.url}/organisations/{org.slug}"

    with chromium as browser:
        page = phone_page(browser, live_server.url, ann.user)
        page.goto(f"{base}/")
        check(page, "space")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/space.png")
        # The space asks, once, for what is new to read.
        reminder = page.get_by_role("link", name="Social media policy, version 1")
        assert reminder.bounding_box()["y"] < HEIGHT
        page.goto(f"{base}/approach/")
        check(page, "approach")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/approach.png", full_page=True)
        # What a member came for, on the first screen: what to read.
        read = page.get_by_role("link", name="Read the social media policy")
        box = read.bounding_box()
        assert box and box["y"] + box["height"] <= HEIGHT, box
        read.click()
        page.wait_for_url("**/documents/policy/")
        check(page, "policy")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/policy.png", full_page=True)
        expect(page.get_by_role("heading", name="Who may post for us")).to_be_visible()
        page.get_by_role("button", name="I have read version 1").click()
        page.wait_for_url(f"{base}/approach/")
        check(page, "approach after")
        expect(page.get_by_text("You have read version 1.").first).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, width
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/approach-after.png", full_page=True)
        page.goto(f"{base}/approach/training/")
        check(page, "training")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/training.png", full_page=True)

    assert Acknowledgement.objects.filter(membership=ann, version__kind="policy").exists()
    check.assert_none()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_edits_the_approach_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    org = make_organisation()
    lorna = make_member(org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
    make_member(org, "ann", name="Ann Ward")
    Sheet.objects.create(title="Newsletters", slug="news", summary="s", body="b", published=True)
    check = PageChecks()
    base = f"{live_server.url}/organisations/{org.slug}/approach"

    with chromium as browser:
        page = phone_page(browser, live_server.url, lorna.user)
        page.goto(f"{base}/documents/escalation/edit/")
        check(page, "write the procedure")
        page.get_by_role("button", name="Save it").click()
        page.wait_for_url(f"{base}/documents/escalation/")
        check(page, "procedure")
        page.goto(f"{base}/documents/escalation/edit/")
        text = page.get_by_label("The text")
        text.fill(text.input_value().replace("one working day", "two working days"))
        page.get_by_role("button", name="Save as a new version").click()
        page.wait_for_url(f"{base}/documents/escalation/")
        page.get_by_text("What changed since version 1").click()
        check(page, "procedure, what changed")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/changes.png")
        page.goto(f"{base}/platforms/")
        page.get_by_label("Name").fill("Our Flickr account")
        page.get_by_label("Ann Ward").check()
        page.get_by_role("button", name="Add it").click()
        page.wait_for_url(f"{base}/platforms/")
        check(page, "platforms")
        page.goto(f"{base}/sheets/")
        page.get_by_role("button", name="Add it").click()
        page.wait_for_load_state()  # back on the same address: wait for the page, not the URL
        check(page, "sheets")
        page.goto(f"{base}/training/")
        page.get_by_label("Course").fill("Canva for charities")
        page.get_by_role("button", name="Add it").click()
        page.wait_for_url(f"{base}/training/")
        check(page, "training")
        page.goto(f"{base}/")
        check(page, "approach")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/approach-admin.png", full_page=True)

    assert Platform.objects.get().keepers.get().name == "Ann Ward"
    check.assert_none()
