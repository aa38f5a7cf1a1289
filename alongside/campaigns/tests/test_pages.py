"""The public pages: the campaigns, a campaign, a chapter and its embed, and the home card."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.campaigns.models import Campaign, ChapterStatus, VolunteerRole
from alongside.campaigns.tests.helpers import (
    make_campaign,
    make_chapter,
    make_donation,
    make_volunteer,
)
from alongside.test import RENDERED, BaseTestCase


class CampaignListTestCase(BaseTestCase):
    def test_it_lists_running_coming_and_past_campaigns(self):
        make_campaign("Night of Giving", days_from_now=0)
        make_campaign("Spring Surgeries", days_from_now=40)
        past = make_campaign("Twestival", days_from_now=-400)
        r = self.client.get("/campaigns/")
        self.assertContains(r, "Running now")
        self.assertContains(r, "Night of Giving")
        self.assertContains(r, "Spring Surgeries")
        self.assertContains(r, "Past campaigns")
        self.assertContains(r, past.get_absolute_url())

    def test_the_list_costs_the_same_for_3_or_30_campaigns(self):
        for n in range(3):
            make_chapter(make_campaign(f"Campaign {n}", days_from_now=n), "Dudley")
        with self.assertNumQueries(1):
            self.client.get("/campaigns/")
        for n in range(3, 30):
            make_chapter(make_campaign(f"Campaign {n}", days_from_now=n), "Dudley")
        with self.assertNumQueries(1):
            self.client.get("/campaigns/")


class HomeCardTestCase(BaseTestCase):
    # The home page is kept for visitors for up to PAGE_CACHE_SECONDS: a new campaign shows
    # once the kept copy runs out.
    @RENDERED
    def test_home_links_campaigns_only_while_one_is_running_or_coming(self):
        self.assertNotContains(self.client.get("/"), "/campaigns/")
        make_campaign(days_from_now=-400)
        self.assertNotContains(self.client.get("/"), "/campaigns/")
        make_campaign("Coming", days_from_now=20)
        r = self.client.get("/")
        self.assertContains(r, 'href="/campaigns/"')
        html = r.content.decode()
        self.assertLess(html.index("find-place"), html.index('href="/campaigns/"'))


class CampaignPageTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign(days_from_now=0, target="10000")
        cls.brum = make_chapter(cls.campaign, "Birmingham", target="1500")
        cls.toronto = make_chapter(
            cls.campaign,
            "Toronto",
            country="CA",
            currency="CAD",
            time_zone="America/Toronto",
            target="7000",
        )
        make_chapter(cls.campaign, "Lye", status=ChapterStatus.PROPOSED)

    def test_it_shows_the_cause_the_total_and_each_chapter(self):
        make_donation(self.brum, "1519.00")
        make_donation(self.toronto, "700", per_unit="0.5")
        r = self.client.get("/campaigns/one-night-for-water/")
        self.assertContains(r, "Water for Everyone")
        self.assertContains(r, "Clean water for villages")
        self.assertContains(r, "<strong>£1,869.00</strong> raised of £10,000.00", html=False)
        self.assertContains(r, '<progress class="bar" max="100" value="18"')
        self.assertContains(r, "CA$700.00")
        self.assertContains(r, "needs CA$6,300.00 more")
        self.assertContains(r, "Target reached")  # Birmingham, 101%
        self.assertNotContains(r, "Lye")  # not approved
        self.assertContains(r, 'aria-live="polite"', count=1)
        self.assertContains(r, 'hx-get="/campaigns/one-night-for-water/progress/"')

    def test_the_table_drawn_once_for_each_change_shows_a_new_donation_at_once(self):
        make_donation(self.toronto, "700", per_unit="0.5")
        self.assertContains(self.client.get("/campaigns/one-night-for-water/"), "CA$700.00")
        make_donation(self.toronto, "100", per_unit="0.5")  # moves the money's version
        r = self.client.get("/campaigns/one-night-for-water/")
        self.assertContains(r, "CA$800.00")
        self.assertContains(r, "needs CA$6,200.00 more")

    def test_a_donation_waiting_for_a_rate_is_named_in_the_campaigns_currency(self):
        make_donation(self.toronto, "40.00")  # no rate recorded for CAD yet
        r = self.client.get("/campaigns/one-night-for-water/")
        self.assertContains(r, "1 donation is not yet converted into GBP, so it is not in")

    def test_the_page_costs_the_same_for_5_or_50_chapters(self):
        def count(n: int) -> int:
            for i in range(n):
                make_donation(make_chapter(self.campaign, f"Town {n}-{i}"), "5")
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            self.client.get("/campaigns/one-night-for-water/")  # counted once, then kept
            with CaptureQueriesContext(connection) as queries:
                r = self.client.get("/campaigns/one-night-for-water/")
            self.assertContains(r, f"Town {n}-0")
            return len(queries)

        five = count(5)
        self.assertEqual(count(45), five)
        self.assertLessEqual(five, 2)  # the campaign, and its public stories

    def test_an_unknown_campaign_is_not_found(self):
        self.assertEqual(self.client.get("/campaigns/nope/").status_code, 404)
        self.assertEqual(self.client.get("/campaigns/nope/progress/").status_code, 404)


class ChapterPageTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign(days_from_now=2)
        cls.toronto = make_chapter(
            cls.campaign,
            "Toronto",
            country="CA",
            currency="CAD",
            time_zone="America/Toronto",
            target="7000",
        )
        make_volunteer(cls.toronto, "jane-doe", role=VolunteerRole.LEAD)
        make_volunteer(cls.toronto, "ravi-kumar")

    def test_it_shows_progress_time_left_and_leads_first_names_only(self):
        make_donation(self.toronto, "1000", per_unit="0.55")
        make_donation(self.toronto, "250", stream="cheque", per_unit="0.55")
        r = self.client.get("/campaigns/one-night-for-water/toronto/")
        self.assertContains(r, "CA$1,250.00")
        self.assertContains(r, "£687.50")
        self.assertContains(r, "needs CA$5,750.00 more")
        self.assertContains(r, "America/Toronto")
        self.assertContains(r, " left")
        self.assertContains(r, "Run by Jane, a local volunteer.")
        self.assertNotContains(r, "Doe")
        self.assertNotContains(r, "Ravi")
        self.assertNotContains(r, "@example.org")
        # The chart, with its data table.
        self.assertContains(r, '<th scope="row">Cash</th><td>CA$1,000.00</td>', html=False)
        self.assertContains(r, "/campaigns/one-night-for-water/toronto/embed/")

    def test_a_chapter_not_approved_is_not_found(self):
        make_chapter(self.campaign, "Lye", status=ChapterStatus.PROPOSED)
        make_chapter(self.campaign, "Oldbury", status=ChapterStatus.DECLINED)
        for city in ("lye", "oldbury"):
            for end in ("", "embed/"):
                r = self.client.get(f"/campaigns/one-night-for-water/{city}/{end}")
                self.assertEqual(r.status_code, 404)

    def test_a_chapter_of_another_campaign_is_not_found_here(self):
        other = make_campaign("Other Cause")
        make_chapter(other, "Leeds")
        r = self.client.get("/campaigns/one-night-for-water/leeds/")
        self.assertEqual(r.status_code, 404)

    def test_the_embed_may_be_framed_anywhere_and_runs_no_script(self):
        r = self.client.get("/campaigns/one-night-for-water/toronto/embed/")
        self.assertEqual(r.status_code, 200)
        self.assertNotIn("X-Frame-Options", r.headers)
        self.assertIn("frame-ancestors *", r.headers["Content-Security-Policy"])
        self.assertNotContains(r, "<script")
        self.assertContains(r, 'target="_blank"')

    def test_a_finished_chapter_says_so(self):
        Campaign.objects.filter(pk=self.campaign.pk).update(
            starts_on=timezone.localdate() - dt.timedelta(days=10),
            ends_on=timezone.localdate() - dt.timedelta(days=3),
        )
        self.assertContains(self.client.get("/campaigns/one-night-for-water/toronto/"), "Finished")
