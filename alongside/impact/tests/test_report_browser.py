"""The funders' report in a real browser: its figures, axe-core, and two A4 pages in print.

uv run pytest -m browser alongside/impact
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browsertest import PHONE, PageChecks
from alongside.demo.build import build_demo_network
from alongside.impact.figures import figures
from alongside.surgeries.models import Surgery

# Outside the repository, to look at by eye; a fixed name so people know where to find it.
SCREENSHOT = "/tmp/alongside-report.png"  # noqa: S108
# The printable area of A4 with 15 mm margins, at the browser's 96 pixels to the inch.
A4_INSIDE = {"width": 680, "height": 1009}


def pdf_pages(pdf: bytes) -> int:
    # Chromium writes each page as an object "/Type /Page"; the tree of them is "/Pages".
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_surgerys_report_prints_on_two_a4_pages(topics_put_back, live_server, tmp_path, chromium):
    today = timezone.localdate()
    build_demo_network(today=today)
    start = today - dt.timedelta(days=364)
    shown = figures(Surgery.objects.get(slug="stourbridge"), start=start, end=today)
    # The headline figures, then time given and the six-week outcomes, all on the first page.
    rows = shown.rows() + shown.outcome_rows()
    expected = [str(value) for _key, _label, value, _definition in rows]
    assert shown.people_helped > 0 and shown.follow_ups > 0
    url = f"{live_server.url}/surgeries/stourbridge/report/?from={start}&to={today}"
    check = PageChecks()

    with chromium as browser:
        context = browser.new_context(viewport={"width": 1100, "height": 1300}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Stourbridge Social Media Surgery"
        )
        assert page.locator(".report-value").all_inner_texts() == expected
        # Each chart loaded as a picture (a blocked or broken SVG has no width).
        charts = page.locator("img.chart")
        expect(charts).to_have_count(3)
        for chart in charts.all():
            assert chart.evaluate("img => img.complete && img.naturalWidth") > 0
            assert chart.get_attribute("alt").startswith("Bar chart of")
        results = check.axe.run(page)
        assert results.violations_count == 0, results.generate_report()

        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".report-tools")).to_be_hidden()
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        (tmp_path / "report.pdf").write_bytes(pdf)
        assert pdf_pages(pdf) == 2
        page.set_viewport_size(A4_INSIDE)
        # The first page, laid out at the printed width, is no taller than one sheet, and the
        # hours and six-week outcomes are on it.
        first = page.locator(".report-page").first.bounding_box()
        outcomes = page.locator(".report-outcomes").bounding_box()
        assert first is not None and outcomes is not None
        assert first["height"] <= A4_INSIDE["height"], first
        assert outcomes["y"] + outcomes["height"] <= first["y"] + first["height"]
        expect(page.locator(".report-page").first).to_contain_text("hours given by surgeons")
        page.screenshot(path=SCREENSHOT, full_page=True)

        phone = browser.new_context(**PHONE).new_page()
        phone.goto(url)
        expect(phone.locator(".report-value").first).to_have_text(expected[0])
        check(phone, "report on a phone")
    check.assert_none()
