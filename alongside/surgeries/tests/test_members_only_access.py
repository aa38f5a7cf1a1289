"""Who may open the pages of a surgery for one organisation's members: its organisers, the
members, network admins. Anyone else gets the 404 of a surgery that does not exist."""

from __future__ import annotations

import datetime as dt

from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import timezone

from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Audience, Session, Surgery
from alongside.test import BaseTestCase, make_coordinator, make_user

# Pages about the surgery itself, for whoever may see it.
OWN_PAGES = [
    "/surgeries/staff/",
    "/sessions/{session}/",
    "/surgeries/staff/impact/",
    "/surgeries/staff/report/",
    "/surgeries/staff/charts/months.svg",
    "/surgeries/staff/stories/",
]
# Ways of spreading the word or the figures beyond the organisation: for nobody.
PUBLICITY = [
    "/surgeries/staff/share/",
    "/surgeries/staff/calendar.ics",
    "/surgeries/staff/sessions.atom",
    "/surgeries/staff/embed/",
    "/surgeries/staff/poster/",
    "/surgeries/staff/figures.json",
    "/surgeries/staff/figures/",
    "/surgeries/staff/figures.png",
    "/surgeries/staff/figures/embed/",
    "/sessions/{session}/calendar.ics",
    "/sessions/{session}/poster/",
]


class MembersOnlyAccessTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()
        cls.organisation = make_organisation("Dudley Council")
        cls.member = make_member(cls.organisation, "maya").user
        cls.outsider = make_member(make_organisation("Sandwell CVS"), "sal").user
        cls.staff_organiser = make_user("tom", "tom@dudley.example")
        cls.staff = Surgery.objects.create(
            name="Council Staff Surgery",
            slug="staff",
            place_name="Dudley",
            description="For council staff.",
            who_for="Staff",
            contact_email="digital@dudley.example",
            area=cls.borough,
            audience=Audience.MEMBERS,
            members_of=cls.organisation,
            approved_at=timezone.now(),
        )
        cls.staff.organisers.add(cls.staff_organiser)
        cls.staff_session = Session.objects.create(
            surgery=cls.staff,
            date=timezone.localdate() + dt.timedelta(days=3),
            start_time=dt.time(12),
            end_time=dt.time(13),
            help_places=6,
            surgeon_places=2,
            notes="In the Council House canteen.",
        )
        make_coordinator(cls.coordinator, cls.borough)

    def urls(self, pages: list[str]) -> list[str]:
        return [page.format(session=self.staff_session.pk) for page in pages]

    def get(self, user, url: str):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client.get(url)

    def test_its_organisers_members_and_network_admins_open_its_pages(self):
        for user in (self.staff_organiser, self.member, self.admin):
            for url in self.urls(OWN_PAGES):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.get(user, url).status_code, 200)

    def test_anyone_else_finds_nothing_there(self):
        others = (None, self.outsider, self.organiser, self.coordinator, make_user("x", "x@x.org"))
        for user in others:
            for url in self.urls(OWN_PAGES + PUBLICITY):
                with self.subTest(user=user and user.username, url=url):
                    self.assertEqual(self.get(user, url).status_code, 404)

    def test_nothing_spreads_it_even_for_its_members(self):
        for url in self.urls(PUBLICITY):
            with self.subTest(url=url):
                self.assertEqual(self.get(self.member, url).status_code, 404)

    def test_its_page_says_who_it_is_for_and_offers_no_sharing(self):
        response = self.get(self.member, "/surgeries/staff/")
        self.assertContains(response, "Only for members of Dudley Council")
        self.assertContains(response, '<meta name="robots" content="noindex">')
        self.assertNotContains(response, "Share or print")
        self.assertNotContains(response, "sessions.atom")
        response = self.get(self.member, f"/sessions/{self.staff_session.pk}/")
        self.assertContains(response, "Only for members of Dudley Council")
        self.assertContains(response, "In the Council House canteen.")
        self.assertNotContains(response, "og:title")
        self.assertNotContains(response, "application/ld+json")
        self.assertNotContains(response, "Print a poster")

    def test_a_surgery_for_both_is_public(self):
        Surgery.objects.filter(pk=self.staff.pk).update(audience=Audience.BOTH)
        for url in self.urls(OWN_PAGES + ["/surgeries/staff/calendar.ics"]):
            with self.subTest(url=url):
                self.assertEqual(self.get(None, url).status_code, 200)

    @override_settings(PAGE_CACHE_SECONDS=300)
    def test_a_members_page_is_never_kept_for_visitors(self):
        caches["pages"].clear()
        for url in self.urls(OWN_PAGES[:2]):
            with self.subTest(url=url):
                # Kept pages are for requests with no cookie; a member always has one.
                self.assertEqual(self.get(self.member, url).status_code, 200)
                self.assertEqual(self.get(None, url).status_code, 404)
                self.assertEqual(self.get(None, url).status_code, 404)
                self.assertEqual(self.get(self.member, url).status_code, 200)

    def test_its_figures_page_offers_no_open_data(self):
        response = self.get(self.member, "/surgeries/staff/impact/")
        self.assertNotContains(response, "figures.json")
        self.assertContains(response, "/surgeries/staff/charts/months.svg")

    @override_settings(PAGE_CACHE_SECONDS=300)
    def test_a_surgery_made_members_only_leaves_the_kept_pages_at_once(self):
        caches["pages"].clear()
        self.staff.audience = Audience.BOTH
        self.staff.save(update_fields=["audience"])
        for url in ("/surgeries/staff/", "/", "/calendar/"):
            self.assertContains(self.get(None, url), "Council Staff Surgery")
        # Saving it logs a change, which moves every kept page's key.
        self.staff.audience = Audience.MEMBERS
        self.staff.save(update_fields=["audience"])
        self.assertEqual(self.get(None, "/surgeries/staff/").status_code, 404)
        for url in ("/", "/calendar/", "/surgeries/"):
            self.assertNotContains(self.get(None, url), "Council Staff Surgery")
