"""On a phone: an admin asks a mentor, who says yes, records a meeting and marks it done."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.browsertest import WIDTH, PageChecks, phone_page
from alongside.organisations import services
from alongside.organisations.models import MentorMeeting, MentorPairing, Role, Team
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Topic
from alongside.surgeries.topics import ensure_topics

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_mentor_is_asked_says_yes_records_a_meeting_and_marks_it_done_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    org = make_organisation()
    staff = Team.objects.create(organisation=org, name="Staff")
    lorna = make_member(org, "lorna-p", role=Role.ADMIN, team=staff, name="Lorna Prescott")
    ann = make_member(org, "ann", team=staff, name="Ann Ward")
    bill = make_member(org, "bill", role=Role.TRUSTEE, name="Bill Cole")
    facebook = Topic.objects.get(slug="facebook")
    round_ = services.round_open(organisation=org, actor=lorna.user)
    for member, confidence in ((ann, 5), (bill, 1)):
        services.response_save(
            round=round_,
            membership=member,
            shared=True,
            answers=[
                services.Answer(confidence, confidence < 3, confidence > 3, topic_id=facebook.pk)
            ],
        )
    check = PageChecks()
    base = f"{live_server.url}/organisations/{org.slug}"

    def look(page, name):
        check(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)

    with chromium as browser:
        page = phone_page(browser, live_server.url, lorna.user)
        page.goto(f"{base}/")
        page.get_by_role("link", name="Find a mentor, or help someone learn what you know").click()
        page.wait_for_url(f"{base}/mentors/")
        look(page, "mentors-admin")
        suggestion = page.get_by_text("Ann Ward could help Bill Cole")
        expect(suggestion).to_be_visible()
        # What the admin came for is on the first screen.
        assert suggestion.bounding_box()["y"] < 740
        page.get_by_role("button", name="Ask them whether Ann Ward can help Bill Cole").click()
        page.wait_for_url(f"{base}/mentors/")
        expect(page.get_by_text("We've asked Ann Ward")).to_be_visible()
        look(page, "mentors-admin-asked")
        pairing = MentorPairing.objects.get()

        page = phone_page(browser, live_server.url, ann.user)
        page.goto(f"{base}/mentors/{pairing.pk}/")
        look(page, "pairing-offered")
        yes = page.get_by_role("button", name="Yes, I can help")
        assert yes.bounding_box()["y"] < 740
        yes.click()
        page.wait_for_url(f"{base}/mentors/{pairing.pk}/")
        look(page, "pairing-accepted")
        page.get_by_role("link", name="Record a meeting").click()
        page.wait_for_url(f"{base}/mentors/{pairing.pk}/meeting/")
        look(page, "meeting")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Say in a line or two what you worked on.").first).to_be_visible()
        look(page, "meeting-error")
        page.get_by_label("What did you work on").fill("Set up the page and posted the first event")
        page.get_by_label("Minutes spent").fill("40")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"{base}/mentors/{pairing.pk}/")
        page.get_by_role("button", name="Mark as done").click()
        page.wait_for_url(f"{base}/mentors/{pairing.pk}/")
        look(page, "pairing-done-mentor")

        page = phone_page(browser, live_server.url, bill.user)
        page.goto(f"{base}/mentors/")
        look(page, "mentors-learner")
        page.get_by_role("link", name="Ann Ward helped you with Facebook").click()
        page.wait_for_url(f"{base}/mentors/{pairing.pk}/")
        look(page, "pairing-confidence")
        page.get_by_label("4", exact=True).check()
        page.get_by_role("button", name="Send").click()
        page.wait_for_url(f"{base}/mentors/{pairing.pk}/")
        look(page, "pairing-done-learner")

    pairing.refresh_from_db()
    assert (pairing.status, pairing.confidence_after) == ("completed", 4)
    assert MentorMeeting.objects.get().minutes == 40
    check.assert_none()
