"""On a phone: an organiser makes an API token, sees it once, revokes it; the API's docs page.
Each page passes axe-core and fits 360 px."""

from __future__ import annotations

import pytest

from alongside.api.models import ApiToken
from alongside.browsertest import HEIGHT, PageChecks, phone_page
from alongside.test import make_surgery, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_makes_and_revokes_a_token_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    organiser = make_user("melissa", "melissa@example.org")
    make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    check = PageChecks()

    with chromium as browser:
        page = phone_page(browser, live_server.url, organiser)
        page.goto(f"{live_server.url}/account/")
        page.get_by_role("link", name="API tokens").click()
        page.wait_for_url(f"{live_server.url}/account/api/")
        check(page, "tokens (none)")
        # The form is on the first screen of a phone.
        name = page.get_by_label("What is it for?")
        assert name.bounding_box()["y"] < HEIGHT
        name.fill("Our CRM")
        page.get_by_label("Read, and also book people in").check()
        page.get_by_role("button", name="Make the token").click()
        secret = page.locator("code.secret").inner_text()
        assert secret.startswith("als_")
        check(page, "token made")
        assert ApiToken.objects.get().scope == "write"
        page.get_by_role("button", name="Revoke Our CRM").click()
        page.wait_for_url(f"{live_server.url}/account/api/")
        assert "Revoked" in page.content()
        assert secret not in page.content()
        check(page, "token revoked")
        page.goto(f"{live_server.url}/api/v1/docs")
        check(page, "API docs")
        page.context.close()
    check.assert_none()
