"""On a phone: a group's admin fills in its profile and lists it; anyone then finds it among
the groups near them, and reads its public page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browsertest import WIDTH, PageChecks, phone_page
from alongside.groups.models import Profile, SocialAccount
from alongside.organisations.models import Membership
from alongside.surgeries.models import Organisation, Topic
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_user

SHOTS = None  # a folder path, to keep screenshots of each page while working on them


def listed(name: str, kind: str, district: str, lat: float, lng: float, **fields) -> Profile:
    organisation = Organisation.objects.create(name=name, kind=kind)
    return Profile.objects.create(
        organisation=organisation,
        postcode_district=district,
        latitude=lat,
        longitude=lng,
        listed_at=timezone.now(),
        **fields,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_group_fills_in_its_profile_and_is_found_on_a_phone(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    leasowes = Organisation.objects.create(name="Friends of Leasowes", kind="other")
    gill = make_user("gill", "gill@example.org")
    Membership.objects.create(organisation=leasowes, user=gill, name="Gill", role="admin")
    harriers = listed(
        "Halesowen Harriers", "friends", "B63", 52.449, -2.046, interests="Running on Sundays"
    )
    SocialAccount.objects.create(profile=harriers, url="https://www.facebook.com/harriers")
    listed("Friends of Priory Park", "friends", "DY1", 52.511, -2.089)
    check = PageChecks()

    with chromium as browser:
        page = phone_page(browser, live_server.url, gill)
        page.goto(f"{live_server.url}/groups/friends-of-leasowes/edit/")
        # What she came for is on the first screen: the group and the first question.
        expect(page.get_by_role("heading", name="Friends of Leasowes")).to_be_in_viewport()
        expect(page.get_by_label("What kind of group is it?")).to_be_in_viewport()
        check(page, "edit")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/edit.png", full_page=True)

        # A mistake first: the error shows at the top and by the field, nothing lost.
        page.get_by_label("What kind of group is it?").select_option("friends")
        page.get_by_label("What is your group interested in?").fill("Walks and nightjar surveys")
        page.get_by_role("checkbox", name="Facebook", exact=True).check()
        page.get_by_label("Postcode or postcode area").fill("nowhere")
        page.get_by_role("textbox", name="Website").fill("friendsofleasowes.org.uk")
        page.get_by_label("Facebook, Instagram and other accounts").fill(
            "facebook.com/friendsofleasowes\ninstagram.com/leasowes"
        )
        page.get_by_label("List our group publicly").check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_contain_text("Enter a UK postcode")
        expect(page.get_by_label("What is your group interested in?")).to_have_value(
            "Walks and nightjar surveys"
        )
        check(page, "edit with an error")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/edit-error.png", full_page=True)

        page.get_by_label("Postcode or postcode area").fill("B62 8AB")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("Your group is listed publicly")
        check(page, "edit saved")
        page.get_by_role("link", name="See the public page").click()
        page.wait_for_url(f"{live_server.url}/groups/friends-of-leasowes/")
        expect(page.get_by_role("heading", name="Friends of Leasowes", level=1)).to_be_visible()
        expect(page.get_by_role("link", name="Facebook")).to_be_visible()
        expect(page.get_by_role("link", name="Instagram")).to_be_visible()
        # The Harriers (same kind, nearby) are among the groups near it doing similar things.
        expect(page.get_by_role("link", name="Halesowen Harriers")).to_be_visible()
        check(page, "public page")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/public.png", full_page=True)

        # Signed out, on the list of groups near a place.
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/groups/")
        page.get_by_label("Town or postcode").fill("Halesowen")
        page.get_by_label("Kind of group").select_option("friends")
        page.get_by_role("button", name="Search").click()
        expect(
            page.get_by_role(
                "heading", name="Friends of a park or nature reserve: nearest to Halesowen"
            )
        ).to_be_visible()
        first = page.locator(".directory-list li").first
        expect(first).to_contain_text("Halesowen Harriers")
        check(page, "groups near you")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/groups.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    check.assert_none()
