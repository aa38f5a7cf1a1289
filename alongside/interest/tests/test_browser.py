"""Registering interest and the brokers' map in a real browser, on a 360 px phone.

uv run pytest -m browser alongside/interest
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from alongside.browsertest import PHONE, PageChecks
from alongside.interest.models import Interest
from alongside.lib import geo
from alongside.surgeries.models import Surgery
from alongside.test import make_surgery, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_registering_interest_and_seeing_it_on_the_map(topics_put_back, live_server, chromium):
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    dy8 = geo.place_for("DY8")
    Surgery.objects.filter(pk=surgery.pk).update(latitude=dy8.lat, longitude=dy8.lng)
    admin = make_user("nadia", "nadia@example.org")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(admin)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    check = PageChecks()

    with chromium as browser:
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{live_server.url}/interest/")
        check(page, "the form")
        page.get_by_label("Your town or postcode").fill("Nowhereville")
        page.get_by_label("I'd help as a surgeon").check()
        page.get_by_label("Your email address").fill("sam@example.org")
        page.get_by_role("button", name="Register my interest").click()
        expect(page.get_by_role("alert")).to_contain_text("We could not find")
        check(page, "the form with errors")
        page.get_by_label("Your town or postcode").fill("Wordsley")
        page.get_by_label("Email me when a surgery starts near me").check()
        page.get_by_role("button", name="Register my interest").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
        expect(page.get_by_text("Stourbridge Social Media Surgery")).to_be_visible()
        check(page, "thank you")

        context = browser.new_context(**PHONE)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie,
                    "url": live_server.url,
                    "httpOnly": True,
                }
            ]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/network/interest/")
        # Map tiles come from the internet; the pins are ours, and are links.
        expect(page.locator("#interest-map .interest-pin")).to_have_count(1)
        check(page, "brokers' map")
        page.get_by_role("link", name="Wordsley", exact=True).click()
        expect(page.get_by_text("sam@example.org")).to_be_visible()
        check(page, "a place")
        page.get_by_role("button", name="Put 1 person in touch").click()
        expect(page.get_by_role("status")).to_contain_text("We are emailing 1 person")
    check.assert_none()
    assert Interest.objects.get().place_name == "Wordsley"
