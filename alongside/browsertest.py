"""Shared set-up for the browser tests: Debian's Chromium through Playwright, on a phone.

Playwright's own browser download is never used. A test takes the `chromium` fixture
(conftest.py), which skips when /usr/bin/chromium is missing unless
ALONGSIDE_REQUIRE_BROWSER=1 makes that a failure (CI sets it), and drives the browser inside
`with chromium as browser:`. `PageChecks` runs axe-core and a sideways-scrolling check on
each page and reports everything it found at the end.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

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


def cookie_for(user) -> str:
    """Signing in is by emailed code; the browser borrows a session made here instead."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def phone_page(browser, url: str, user=None):
    """A fresh phone-sized page, signed in as `user` (or not signed in), for the site at url."""
    context = browser.new_context(**PHONE)
    if user is not None:
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie_for(user),
                    "url": url,
                    "httpOnly": True,
                }
            ]
        )
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


class SharedChromium:
    """One Playwright driver and one Chromium for every browser test in a test process.

    Starting both takes about a second, so the first browser test starts them and the rest
    borrow them. Each test opens browser contexts of its own (cookies, storage and cache are
    per context) and `with chromium as browser:` closes them on the way out.

    Playwright marks its event loop as running in this thread while it is in use, and Django
    refuses ORM calls while a loop runs (SynchronousOnlyOperation). So the loop is marked
    running only inside the `with` block, as it was inside `with sync_playwright()`: set-up
    before it and database checks after it run as usual, and an ORM call slipped into the
    block still fails at once.
    """

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self._playwright_manager = sync_playwright()
        self._playwright = self._playwright_manager.start()
        self._loop = asyncio.get_running_loop()
        self.browser = self._launch()
        asyncio._set_running_loop(None)

    def _launch(self) -> Browser:
        return self._playwright.chromium.launch(executable_path=self.executable, args=CHROMIUM_ARGS)

    def __enter__(self) -> Browser:
        asyncio._set_running_loop(self._loop)
        if not self.browser.is_connected():  # a test crashed it: the next one gets a new one
            self.browser = self._launch()
        return self.browser

    def __exit__(self, *exc: object) -> None:
        try:
            for context in self.browser.contexts:
                context.close()
        finally:
            asyncio._set_running_loop(None)

    def close(self) -> None:
        asyncio._set_running_loop(self._loop)
        try:
            self.browser.close()
        finally:
            self._playwright_manager.__exit__()


class PageChecks:
    """Runs axe-core and the 360 px overflow check on a page, collecting what it finds."""

    def __init__(self, width: int = WIDTH) -> None:
        self.axe = Axe()
        self.width = width
        self.problems: list[str] = []

    def __call__(self, page: Page, name: str) -> None:
        results = self.axe.run(page)
        if results.violations_count:
            self.problems.append(f"[{name}] {page.url}\n{results.generate_report()}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > self.width:
            wide = page.evaluate(OVERFLOWING, self.width)
            self.problems.append(
                f"[{name}] {page.url} is {width}px wide at a {self.width}px viewport; "
                f"overflowing: {wide}"
            )

    def assert_none(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)
