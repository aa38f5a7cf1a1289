"""On a phone: a chapter volunteer enters cash, then imports a provider's export after its
preview; the team reads the report. Each page passes axe-core and fits 360 px."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from alongside.browsertest import HEIGHT, PageChecks, phone_page
from alongside.campaigns.models import Donation
from alongside.campaigns.tests.helpers import SAMPLES, make_campaign, make_chapter, make_volunteer
from alongside.test import make_user

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteer_enters_cash_and_imports_an_export_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    lead = make_user("tessa", "tessa@example.org")
    campaign = make_campaign(team=[lead])
    chapter = make_chapter(campaign)
    viv = make_volunteer(chapter, "viv").user
    check = PageChecks()
    base = f"{live_server.url}/campaigns/{campaign.slug}/{chapter.slug}/money/"

    with chromium as browser:
        page = phone_page(browser, live_server.url, viv)
        page.goto(base)
        check(page, "money")
        shot(page, "money")
        # What they came for, on the first screen: the amount and the Save button.
        save = page.get_by_role("button", name="Save")
        box = save.bounding_box()
        amount = page.get_by_label("Amount").bounding_box()
        assert amount["y"] + amount["height"] <= HEIGHT, amount
        assert box["y"] + box["height"] <= HEIGHT * 1.5
        page.get_by_label("Amount").fill("45.50")
        page.get_by_label("Date it was given").fill("2026-05-01")
        page.get_by_label("Who counted it").fill("Viv and Sam")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(base)
        expect(page.get_by_text("Saved 45.50 GBP, counted by Viv and Sam")).to_be_visible()
        check(page, "money with a donation")
        shot(page, "money-saved")

        page.get_by_role("link", name="Import a file").first.click()
        page.wait_for_url(base + "import/")
        check(page, "import")
        page.get_by_label("Which payment provider is the file from?").select_option("TicketTree")
        page.get_by_label("The export file (CSV)").set_input_files(
            str(SAMPLES / "tickettree-export.csv")
        )
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
        assert Donation.objects.count() == 1  # the preview saved nothing
        check(page, "preview")
        shot(page, "preview")
        page.get_by_role("button", name="Import 20 donations").click()
        page.wait_for_url(base + "reconcile/")
        expect(page.get_by_text("20 added, 0 already counted")).to_be_visible()
        check(page, "reconcile")
        shot(page, "reconcile")

        page = phone_page(browser, live_server.url, lead)
        page.goto(f"{live_server.url}/campaigns/{campaign.slug}/report/")
        check(page, "report")
        shot(page, "report")
        page.goto(f"{live_server.url}/campaigns/{campaign.slug}/rates/")
        check(page, "rates")
        shot(page, "rates")
        page.goto(base + "webhook/")
        check(page, "webhook")
        shot(page, "webhook")

    check.assert_none()
    assert sum((d.net for d in Donation.objects.all()), Decimal(0)) > Decimal("45.50")
