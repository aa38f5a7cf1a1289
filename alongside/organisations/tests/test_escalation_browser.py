"""On a phone: a member reports something, a responder picks it up, records a step and closes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.browsertest import HEIGHT, WIDTH, PageChecks, phone_page
from alongside.organisations.models import Report, Responder, Role, Team
from alongside.organisations.tests.helpers import make_member, make_organisation

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_reports_and_a_responder_picks_it_up_and_closes_it_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    org = make_organisation()
    volunteers = Team.objects.create(organisation=org, name="Volunteers")
    lorna = make_member(org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
    raj = make_member(org, "raj", name="Raj Kandola")
    ken = make_member(org, "ken", role=Role.VOLUNTEER, team=volunteers, name="Ken Harper")
    for m in (lorna, raj):
        Responder.objects.create(organisation=org, membership=m)
    check = PageChecks()
    base = f"{live_server.url}/organisations/{org.slug}"

    with chromium as browser:
        page = phone_page(browser, live_server.url, ken.user)
        page.goto(f"{base}/")
        page.get_by_role("link", name="Something gone wrong? Report it").first.click()
        page.wait_for_url(f"{base}/report/")
        check(page, "the report form")
        shot(page, "report-form")
        # On the first screen: who will see it, and the first field to fill in.
        who = page.get_by_text("Only these people will see it:").bounding_box()
        field = page.get_by_label("What happened?").bounding_box()
        assert who and field
        assert field["y"] + field["height"] <= HEIGHT, field
        assert who["y"] < field["y"]
        page.get_by_role("button", name="Send the report").click()
        expect(page.get_by_text("There is a problem").first).to_be_visible()
        check(page, "the report form with errors")
        page.get_by_label("What happened?").fill(
            "Someone has left a nasty comment under our food bank post, naming a volunteer."
        )
        page.get_by_label("Something odd or worrying arrived").check()
        # Someone pastes a long address where the place goes: it must still fit the phone.
        page.get_by_label("Where is it?").fill("facebook.com/" + "dudleycvs" * 15)
        page.get_by_label("Today — it is urgent").check()
        page.get_by_role("button", name="Send the report").click()
        page.wait_for_url(f"{base}/reports/*/")
        expect(page.get_by_text("Your report is sent")).to_be_visible()
        expect(page.get_by_text("Only these people will see it:")).to_be_visible()
        check(page, "the reporter's view")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        shot(page, "reporter")
        mine = page.url

        page = phone_page(browser, live_server.url, raj.user)
        page.goto(f"{base}/reports/")
        check(page, "the responders' list")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        shot(page, "reports")
        page.get_by_role("link", name="Something odd or worrying arrived").first.click()
        page.wait_for_url(mine)
        check(page, "a report, for a responder")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        shot(page, "report-responder")
        page.get_by_role("button", name="I'm dealing with it").click()
        page.get_by_label("What was done?").fill("Hid the comment and blocked the account")
        page.get_by_role("button", name="Add this step").click()
        expect(page.get_by_text("Hid the comment and blocked the account")).to_be_visible()
        page.get_by_label("How did it end?").fill(
            "Comment hidden; we checked in with the volunteer."
        )
        page.get_by_role("button", name="Close it").click()
        page.wait_for_url(f"{base}/reports/")
        check(page, "the list with a closed report")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, width

        page = phone_page(browser, live_server.url, lorna.user)
        page.goto(f"{base}/responders/")
        check(page, "choosing responders")
        shot(page, "responders")

    report = Report.objects.get()
    assert report.acknowledged_by == raj and report.closed_by == raj
    assert report.steps.count() == 1
    check.assert_none()
