"""On a phone: a member takes the skills and needs check, then reads the results."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.browsertest import WIDTH, PageChecks, phone_page
from alongside.organisations import services
from alongside.organisations.models import Rating, Response, Role, Team
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Topic
from alongside.surgeries.topics import ensure_topics

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_takes_the_check_and_reads_the_results_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    org = make_organisation()
    staff = Team.objects.create(organisation=org, name="Staff")
    board = Team.objects.create(organisation=org, name="Board of trustees")
    lorna = make_member(org, "lorna-p", role=Role.ADMIN, team=staff, name="Lorna Prescott")
    ann = make_member(org, "ann", team=staff, name="Ann Ward")
    services.own_topic_add(organisation=org, name="Our Flickr account", actor=lorna.user)
    first = services.round_open(organisation=org, actor=lorna.user)
    facebook = Topic.objects.get(slug="facebook")
    website = Topic.objects.get(slug="website")
    others = [make_member(org, f"staff-{n}", team=staff) for n in range(3)]
    others += [make_member(org, f"trustee-{n}", role=Role.TRUSTEE, team=board) for n in range(3)]

    def answer(membership, round, confidence):
        services.response_save(
            round=round,
            membership=membership,
            shared=False,
            answers=[
                services.Answer(confidence, confidence < 3, confidence > 3, topic_id=t.pk)
                for t in (facebook, website)
            ],
        )

    for n, m in enumerate(others):
        answer(m, first, 1 + n % 3)
    second = services.round_open(organisation=org, actor=lorna.user)
    for n, m in enumerate(others):
        answer(m, second, 2 + n % 4)
    check = PageChecks()
    base = f"{live_server.url}/organisations/{org.slug}"

    with chromium as browser:
        page = phone_page(browser, live_server.url, ann.user)
        page.goto(f"{base}/")
        check(page, "space")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/space.png", full_page=True)
        page.get_by_role("link", name="Take the check").click()
        page.wait_for_url(f"{base}/check/")
        check(page, "check")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/check.png")
        # Facebook: confident, could help. Our Flickr account: new to it, wants to learn.
        fb = page.get_by_role("group", name="Facebook", exact=True)
        fb.get_by_label("4", exact=True).check()
        fb.get_by_label("I could help others with this").check()
        flickr = page.get_by_role("group", name="Our Flickr account", exact=True)
        flickr.get_by_label("I would like to learn more about this").check()
        page.get_by_role("button", name="Send my answers").click()
        # A tick without a confidence is refused, with the reason beside the topic.
        error = page.get_by_text("Say how confident you are with Our Flickr account")
        expect(error.first).to_be_visible()
        check(page, "check with an error")
        flickr = page.get_by_role("group", name="Our Flickr account", exact=True)
        flickr.get_by_label("1 (not at all)").check()
        assert (
            page.get_by_role("group", name="Facebook", exact=True)
            .get_by_label("4", exact=True)
            .is_checked()
        )
        page.get_by_label("Let the organisation's admins see my answers").check()
        page.get_by_role("button", name="Send my answers").click()
        page.wait_for_url(f"{base}/results/")
        expect(page.get_by_role("heading", name="By topic")).to_be_visible()
        expect(page.get_by_role("heading", name="Change since round 1")).to_be_visible()
        table = page.get_by_role("table").first
        expect(table.get_by_role("row", name="Facebook")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, width
        check(page, "results")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/results.png", full_page=True)
        page.goto(f"{base}/results/1/")
        check(page, "results of round 1")

    response = Response.objects.get(user=ann.user)
    assert response.round == second and response.shared
    got = {
        (r.topic_id, r.own_topic_id, r.confidence, r.wants_to_learn, r.could_help)
        for r in Rating.objects.filter(response=response)
    }
    assert (facebook.pk, None, 4, False, True) in got
    assert len(got) == 2
    check.assert_none()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admins_pages_pass_the_checks_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    org = make_organisation()
    staff = Team.objects.create(organisation=org, name="Staff")
    lorna = make_member(org, "lorna-p", role=Role.ADMIN, team=staff, name="Lorna Prescott")
    ann = make_member(org, "ann", team=staff, name="Ann Ward")
    services.invitation_create(
        organisation=org,
        email="a.very.long.address.for.a.volunteer@dudleycvs.example",
        name="Hannah Wood",
        role=Role.VOLUNTEER,
        team=staff,
        invited_by=lorna.user,
    )
    services.round_open(organisation=org, actor=lorna.user)
    check = PageChecks()
    base = f"{live_server.url}/organisations/{org.slug}"

    with chromium as browser:
        page = phone_page(browser, live_server.url, lorna.user)
        for path in (
            "/",
            "/members/",
            f"/members/{ann.pk}/",
            f"/members/{ann.pk}/remove/",
            "/teams/",
            "/check/rounds/",
            "/check/topics/",
            "/check/organisation/",
        ):
            page.goto(f"{base}{path}")
            check(page, path)
            if SHOTS:
                name = path.strip("/").replace("/", "-") or "space-admin"
                page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
        # Answering for the organisation as a whole, on the phone.
        page.goto(f"{base}/check/organisation/")
        for group in page.get_by_role("group", name="Where are you now?").all():
            group.get_by_label("Getting going").check()
        for group in page.get_by_role("group", name="Where do you aim to be in a year?").all():
            group.get_by_label("Doing it well").check()
        page.get_by_role("button", name="Save the organisation's answers").click()
        page.wait_for_url(f"{base}/results/")
        check(page, "results, as the admin")
    check.assert_none()
