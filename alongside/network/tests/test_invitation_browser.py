"""A new co-organiser accepts an invitation on a 360 px phone, with no account beforehand:
one press emails a code to the invited address, the code signs them up and brings them back
to the invitation, and accepting makes them an organiser. Every page is checked with axe-core
and for sideways scrolling (PageChecks).

    uv run pytest -n 0 alongside/network/tests/test_invitation_browser.py
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browsertest import PHONE, PageChecks
from alongside.network.models import Invitation
from alongside.test import make_surgery, make_user

CODE = re.compile(r"^([A-Z0-9]{4,8}(-[A-Z0-9]{4})?)$", re.M)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_someone_new_accepts_an_invitation_with_an_emailed_code(
    topics_put_back, monkeypatch, live_server, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    surgery = make_surgery("Lye Social Media Surgery", "lye", make_user("melissa", "m@example.org"))
    invitation = Invitation.objects.create(
        kind=Invitation.Kind.ORGANISER,
        email="alison@example.org",
        surgery=surgery,
        sent_at=timezone.now(),
    )
    link = f"{live_server.url}{invitation.get_absolute_url()}"
    check = PageChecks()

    with chromium as browser:
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(10_000)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Help organise Lye Social Media Surgery"
        )
        check(page, "the invitation")
        page.get_by_role("button", name="Email me a code to accept").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        check(page, "check your email")
        [email] = [m for m in mail.outbox if m.to == ["alison@example.org"]]
        page.get_by_label("The code from the email").fill(CODE.search(email.body).group(1))
        page.get_by_role("button", name="Confirm my address").click()
        expect(page).to_have_url(link)
        expect(page.locator(".messages")).to_contain_text("is confirmed")
        page.get_by_role("button", name="Accept").click()
        expect(page).to_have_url(f"{live_server.url}/surgeries/lye/")
        expect(page.locator(".messages")).to_contain_text("you now help organise")
        page.context.close()

    check.assert_none()
    assert surgery.organisers.filter(email="alison@example.org").exists()
