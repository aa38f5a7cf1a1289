"""The check-up's verdicts on fixture websites served by the tests themselves."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase, override_settings

from alongside.groups import quickwins
from alongside.groups.checkup import check_website, dates_in, normalised
from alongside.groups.models import WebCheck
from alongside.groups.tests.helpers import (
    FIXTURE_SITES,
    bare_home,
    good_home,
    make_group,
    social_page,
)
from alongside.lib.testsites import page, redirect, serve


def check(organisation) -> WebCheck:
    web_check = WebCheck.objects.create(organisation=organisation, url=organisation.profile.website)
    return check_website(web_check)


@FIXTURE_SITES
class VerdictsTestCase(TestCase):
    def test_a_good_site_over_https(self):
        with serve({}) as social, serve({}, https=True) as site:
            facebook = social.url("/friendsofleasowes")
            site.pages.update(
                {
                    "/": page(good_home(facebook)),
                    "/about/": page("About"),
                    "/walks/": page("Walks"),
                }
            )
            social.pages[facebook.removeprefix(social.root)] = page(social_page(site.url("/")))
            group = make_group("Friends of Leasowes", website=site.url("/"), socials=[facebook])
            with override_settings(FETCHER_CA_FILE=site.ca_file):
                result = check(group)
        self.assertEqual(result.outcome, WebCheck.Outcome.CHECKED)
        self.assertEqual(
            [
                result.answers,
                result.https,
                result.valid_certificate,
                result.mobile_viewport,
                result.links_to_socials,
                result.socials_link_back,
                result.contact_route,
                result.recent_date,
            ],
            [True] * 8,
        )
        self.assertEqual(result.broken_links, [])
        self.assertEqual(result.quick_wins, [])
        self.assertEqual(result.details["title"], "Friends of Leasowes")
        # Each linked page once (the #fragment is the same page), after robots.txt.
        paths = sorted(path for _, path, _ in site.requests)
        self.assertEqual(paths, ["/", "/about/", "/robots.txt", "/walks/"])

    def test_a_bare_site_over_http(self):
        with serve({}) as social, serve({}) as site:
            facebook = social.url("/harriers")
            site.pages.update({"/": page(bare_home()), "/about/": page("About")})
            social.pages["/harriers"] = page("<p>Halesowen Harriers. Run with us!</p>")
            group = make_group("Halesowen Harriers", website=site.url("/"), socials=[facebook])
            result = check(group)
        self.assertEqual(result.outcome, WebCheck.Outcome.CHECKED)
        self.assertTrue(result.answers)
        self.assertFalse(result.https)
        self.assertIsNone(result.valid_certificate)
        self.assertFalse(result.mobile_viewport)
        self.assertFalse(result.links_to_socials)
        self.assertFalse(result.socials_link_back)
        self.assertFalse(result.contact_route)
        # The date in the script is not on the page people read.
        self.assertFalse(result.recent_date)
        self.assertEqual(result.broken_links, [site.url("/gone/")])
        self.assertEqual(
            result.quick_wins,
            [
                quickwins.HTTPS,
                quickwins.VIEWPORT,
                quickwins.LINK_SOCIALS,
                quickwins.LINK_BACK,
                quickwins.CONTACT,
                quickwins.BROKEN_LINKS,
                quickwins.RECENT,
            ],
        )
        self.assertEqual(result.details["socials_missing"], [facebook])

    def test_a_redirect_from_http_to_https_counts_as_https(self):
        with serve({}, https=True) as secure, serve({}) as plain:
            secure.pages["/"] = page(good_home("https://www.facebook.com/x"))
            plain.pages["/"] = redirect(secure.url("/"), 301)
            group = make_group("Stourbridge Rugby Club", website=plain.url("/"))
            with override_settings(FETCHER_CA_FILE=secure.ca_file):
                result = check(group)
        self.assertTrue(result.https)
        self.assertTrue(result.valid_certificate)
        self.assertEqual(result.details["final_url"], secure.url("/"))
        # No social accounts on the profile: nothing to link to, no quick win about it.
        self.assertIsNone(result.links_to_socials)
        self.assertIsNone(result.socials_link_back)

    def test_a_certificate_browsers_would_warn_about(self):
        with serve({}, https=True) as site:
            site.pages["/"] = page(good_home("https://www.facebook.com/x"))
            site.pages["/about/"] = site.pages["/walks/"] = page("Here")
            group = make_group("Friends of Priory Park", website=site.url("/"))
            result = check(group)
        self.assertTrue(result.https)
        self.assertFalse(result.valid_certificate)
        self.assertTrue(result.mobile_viewport)  # still looked at
        self.assertEqual(result.quick_wins, [quickwins.CERTIFICATE])

    def test_a_social_network_that_turns_robots_away_is_not_a_no(self):
        with serve({}) as social, serve({}) as site:
            facebook = social.url("/page")
            social.pages["/robots.txt"] = page("User-agent: *\nDisallow: /\n")
            site.pages["/"] = page(good_home(facebook))
            group = make_group("Walking for Health", website=site.url("/"), socials=[facebook])
            result = check(group)
        self.assertTrue(result.links_to_socials)
        self.assertIsNone(result.socials_link_back)
        self.assertNotIn(quickwins.LINK_BACK, result.quick_wins)
        self.assertEqual([path for _, path, _ in social.requests], ["/robots.txt"])

    def test_a_site_that_does_not_answer(self):
        with serve({}) as site:
            url = site.url("/")
        result = check(make_group("Lye Allotments", website=url))
        self.assertEqual(result.outcome, WebCheck.Outcome.UNREACHABLE)
        self.assertFalse(result.answers)
        self.assertEqual(result.quick_wins, [quickwins.UNREACHABLE])

    def test_a_site_whose_home_page_is_missing(self):
        with serve({}) as site:
            result = check(make_group("Lye Allotments", website=site.url("/")))
        self.assertEqual(result.outcome, WebCheck.Outcome.UNREACHABLE)
        self.assertEqual(result.quick_wins, [quickwins.UNREACHABLE])

    def test_an_address_inside_is_never_looked_at(self):
        result = check(make_group("Sneaky", website="http://169.254.169.254/latest/"))
        self.assertEqual(result.outcome, WebCheck.Outcome.REFUSED)
        self.assertEqual(result.quick_wins, [])

    def test_a_site_that_asks_robots_not_to_look(self):
        with serve({"/robots.txt": page("User-agent: *\nDisallow: /\n")}) as site:
            result = check(make_group("Private Club", website=site.url("/")))
        self.assertEqual(result.outcome, WebCheck.Outcome.BLOCKED)
        self.assertEqual(result.quick_wins, [])


class WordsTestCase(TestCase):
    def test_dates_people_write(self):
        for text, day in [
            ("Next walk 5th December 2026.", dt.date(2026, 12, 5)),
            ("Met on Dec 3, 2026", dt.date(2026, 12, 3)),
            ("AGM: March 2025", dt.date(2025, 3, 15)),
            ("Posted 2026-11-30T10:00", dt.date(2026, 11, 30)),
            ("01/02/2026", dt.date(2026, 2, 1)),
        ]:
            with self.subTest(text):
                self.assertIn(day, dates_in(text))
        self.assertEqual(dates_in("31/02/2026 and 3 Smarch 2026"), [])

    def test_social_addresses_compare_however_written(self):
        self.assertEqual(
            normalised("https://www.facebook.com/FriendsOfLeasowes/?ref=bookmarks"),
            normalised("http://m.facebook.com/friendsofleasowes"),
        )
