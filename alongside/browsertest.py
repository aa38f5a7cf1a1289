"""Shared set-up for the browser tests: Debian's Chromium through Playwright, on a phone.

Playwright's own browser download is never used. A test calls `chromium_or_skip()`, which
skips when /usr/bin/chromium is missing unless ALONGSIDE_REQUIRE_BROWSER=1 makes that a
failure (CI sets it). `PageChecks` runs axe-core and a sideways-scrolling check on each page
and reports everything it found at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
WIDTH, HEIGHT = 360, 740
# A small phone, held upright: the screen most people book and organise from.
PHONE = {
    "viewport": {"width": WIDTH, "height": HEIGHT},
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
}

# Elements wider than the viewport, to say what overflows when a page scrolls sideways.
OVERFLOWING = """(width) => [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .map((el) => el.outerHTML.slice(0, 120))
    .slice(0, 10)"""


def chromium_or_skip() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    reason = f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests"
    if os.environ.get("ALONGSIDE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ALONGSIDE_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


class PageChecks:
    """Runs axe-core and the 360 px overflow check on a page, collecting what it finds."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.problems: list[str] = []

    def __call__(self, page: Page, name: str) -> None:
        results = self.axe.run(page)
        if results.violations_count:
            self.problems.append(f"[{name}] {page.url}\n{results.generate_report()}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide = page.evaluate(OVERFLOWING, WIDTH)
            self.problems.append(
                f"[{name}] {page.url} is {width}px wide at a {WIDTH}px viewport; "
                f"overflowing: {wide}"
            )

    def assert_none(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)
