"""The impact page's "Local groups" section on a phone, with the demo's groups: axe-core clean
and no wider than the screen, naming only groups listed publicly.

uv run pytest -m browser alongside/impact/tests/test_local_groups_browser.py
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browsertest import PHONE, PageChecks
from alongside.demo.build import build_demo_network


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_local_groups_figures_on_a_phone(topics_put_back, live_server, chromium):
    build_demo_network(today=timezone.localdate())
    check = PageChecks()

    with chromium as browser:
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/surgeries/halesowen/impact/")
        section = page.locator("section.local-groups")
        expect(section.get_by_role("heading", level=2)).to_have_text("Local groups")
        expect(section).to_contain_text("connections made between groups")
        expect(section.get_by_role("cell", name="Friends of Leasowes").first).to_be_visible()
        expect(section).not_to_contain_text("Kingswinford Cricket Club")
        check(page, "impact page's local groups")
    check.assert_none()
