"""Live progress: each chapter's total against its own target, counted once per change."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from alongside.campaigns import progress as progress_module
from alongside.campaigns.models import Campaign, Chapter, ChapterStatus, Donation
from alongside.campaigns.progress import progress_for, recount
from alongside.campaigns.tests.helpers import make_campaign, make_chapter, make_donation
from alongside.test import BaseTestCase


class ProgressTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign(days_from_now=0, target="10000")
        cls.birmingham = make_chapter(cls.campaign, "Birmingham", target="1500")
        cls.dudley = make_chapter(cls.campaign, "Dudley", target="200")
        cls.toronto = make_chapter(
            cls.campaign,
            "Toronto",
            country="CA",
            currency="CAD",
            time_zone="America/Toronto",
            target="7000",
        )
        cls.berlin = make_chapter(
            cls.campaign,
            "Berlin",
            country="DE",
            currency="EUR",
            time_zone="Europe/Berlin",
            target="1000",
        )

    def fresh(self) -> Campaign:
        return Campaign.objects.get(pk=self.campaign.pk)

    def test_it_adds_up_net_in_each_chapters_currency_and_the_campaigns(self):
        make_donation(self.birmingham, "1519.00", fees="12.34")
        make_donation(self.birmingham, "0.01")
        make_donation(self.toronto, "100.00", fees="3.20", per_unit="0.58")
        progress = recount(self.fresh())
        brum = progress.chapter("birmingham")
        toronto = progress.chapter("toronto")
        assert brum and toronto
        self.assertEqual(brum.raised, Decimal("1506.67"))
        self.assertEqual(brum.raised_in_campaign, Decimal("1506.67"))
        self.assertEqual(toronto.raised, Decimal("96.80"))
        # 96.80 × 0.58 = 56.144, rounded half up to the penny.
        self.assertEqual(toronto.raised_in_campaign, Decimal("56.14"))
        self.assertEqual(progress.raised, Decimal("1562.81"))
        self.assertIsInstance(progress.raised, Decimal)

    def test_totals_equal_a_recount_in_decimal_in_every_currency(self):
        # Fees only where gross less fees is exact in binary too: SQLite checks the
        # net = gross - fees constraint in floating point (see the report on the money models).
        amounts = ["10.10", "0.07", "999.99", "33.33", "-5.00", "10.50"]
        for chapter in (self.birmingham, self.toronto, self.berlin):
            for amount in amounts:
                fees = "0.25" if amount == "10.50" else "0"
                make_donation(chapter, amount, fees=fees, per_unit="0.8765")
        progress = recount(self.fresh())
        for chapter in (self.birmingham, self.toronto, self.berlin):
            mine = progress.chapter(chapter.slug)
            assert mine
            rows = Donation.objects.filter(chapter=chapter)
            self.assertEqual(mine.raised, rows.aggregate(s=Sum("net"))["s"])
            self.assertEqual(mine.raised_in_campaign, rows.aggregate(s=Sum("campaign_net"))["s"])
            by_hand = sum((Decimal(a) for a in amounts), Decimal(0)) - Decimal("0.25")
            self.assertEqual(mine.raised, by_hand)
        self.assertEqual(
            progress.raised,
            Donation.objects.filter(chapter__campaign=self.campaign).aggregate(
                s=Sum("campaign_net")
            )["s"],
        )

    def test_thousands_of_pennies_add_up_exactly_to_a_target_reached(self):
        # Amounts with no exact binary form, as people give them: summed in floating point
        # by SQLite they drift below the true total, and the share must not.
        first = make_donation(self.dudley, "0.10")
        amounts = [Decimal(a) for a in ("0.10", "0.07", "33.33", "1.01", "2.22")] * 600
        Donation.objects.bulk_create(
            Donation(
                chapter=self.dudley,
                stream=first.stream,
                received_on=first.received_on,
                currency="GBP",
                gross=amount,
                fees=Decimal("0"),
                net=amount,
                campaign_gross=amount,
                campaign_net=amount,
            )
            for amount in amounts
        )
        total = sum(amounts, Decimal("0.10"))
        self.assertEqual(total, Decimal("22038.10"))
        Chapter.objects.filter(pk=self.dudley.pk).update(target=total)
        Campaign.objects.filter(pk=self.campaign.pk).update(target=total)
        progress = recount(self.fresh())
        mine = progress.chapter("dudley")
        assert mine
        self.assertEqual(mine.raised, total)
        self.assertEqual(mine.raised_in_campaign, total)
        self.assertEqual(mine.share, 100)
        self.assertEqual(mine.needs, Decimal("0.00"))
        self.assertEqual(progress.raised, total)

    def test_donations_waiting_for_a_rate_count_locally_and_are_flagged(self):
        make_donation(self.berlin, "50.00")  # no rate recorded for EUR yet
        make_donation(self.berlin, "20.00")
        mine = recount(self.fresh()).chapter("berlin")
        assert mine
        self.assertEqual(mine.raised, Decimal("70.00"))
        self.assertEqual(mine.raised_in_campaign, Decimal("0.00"))
        self.assertEqual(mine.not_converted, 2)
        self.assertEqual(mine.needs, Decimal("930.00"))

    def test_a_donation_in_a_third_currency_is_shown_apart(self):
        make_donation(self.toronto, "40.00", currency="USD", per_unit="0.79")
        mine = recount(self.fresh()).chapter("toronto")
        assert mine
        self.assertEqual(mine.raised, Decimal("0.00"))
        self.assertEqual(mine.other, {"USD": Decimal("40.00")})
        self.assertEqual(mine.raised_in_campaign, Decimal("31.60"))

    def test_the_leaderboard_ranks_by_share_of_each_chapters_own_target(self):
        make_donation(self.dudley, "150")  # 75% of £200
        make_donation(self.birmingham, "900")  # 60% of £1,500
        make_donation(self.toronto, "7700", per_unit="0.5")  # 110% of CA$7,000
        board = recount(self.fresh()).leaderboard
        self.assertEqual([c.city for c in board], ["Toronto", "Dudley", "Birmingham", "Berlin"])
        toronto = board[0]
        self.assertEqual((toronto.share, toronto.bar_value, toronto.needs), (110, 100, 0))
        self.assertEqual(board[1].needs, Decimal("50.00"))

    def test_only_approved_chapters_are_counted(self):
        make_chapter(self.campaign, "Lye", status=ChapterStatus.PROPOSED)
        self.assertNotIn("Lye", [c.city for c in recount(self.fresh()).chapters])

    def test_a_recount_takes_two_queries_whatever_the_number_of_chapters(self):
        for n in range(20):
            make_donation(make_chapter(self.campaign, f"Town {n}"), "10")
        campaign = self.fresh()
        with self.assertNumQueries(2):
            recount(campaign)

    def test_time_left_is_to_midnight_in_the_chapters_own_zone(self):
        mine = recount(self.fresh())
        toronto, brum = mine.chapter("toronto"), mine.chapter("birmingham")
        assert toronto and brum
        # Toronto's midnight comes five hours after Birmingham's (four or five, with summer time).
        self.assertIn((toronto.ends_at - brum.ends_at).total_seconds() / 3600, (4.0, 5.0))


class LiveTotalTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign(days_from_now=0)
        cls.chapter = make_chapter(cls.campaign, "Birmingham")

    def test_a_thousand_viewers_after_one_change_cost_one_recount(self):
        make_donation(self.chapter, "25.00")
        url = f"/campaigns/{self.campaign.slug}/progress/"
        with (
            mock.patch.object(progress_module, "recount", wraps=progress_module.recount) as counted,
            CaptureQueriesContext(connection) as queries,
        ):
            for _ in range(1000):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200)
        self.assertEqual(counted.call_count, 1)
        # One query per viewer to read the campaign (and its money_version); two for the count.
        self.assertEqual(len(queries), 1000 + 2)
        self.assertContains(r, "£25.00")

    def test_a_new_donation_shows_at_once(self):
        url = f"/campaigns/{self.campaign.slug}/progress/"
        self.assertContains(self.client.get(url), "£0.00")
        make_donation(self.chapter, "12.50")
        self.assertContains(self.client.get(url), "£12.50")
        make_donation(self.chapter, "-2.50", stream="cash")  # a refund is a negative entry
        self.assertContains(self.client.get(url), "£10.00")

    def test_the_snapshot_is_kept_under_the_money_version(self):
        campaign = Campaign.objects.get(pk=self.campaign.pk)
        first = progress_for(campaign)
        self.assertIs(type(first.raised), Decimal)
        make_donation(self.chapter, "1")
        campaign.refresh_from_db()
        self.assertEqual(progress_for(campaign).version, first.version + 1)
