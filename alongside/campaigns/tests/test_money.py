"""Cash, cheques, refunds and rates: each amount kept exactly, converted at its recorded rate."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal

from alongside.accounts.models import AuditEntry
from alongside.campaigns import money
from alongside.campaigns.models import Donation, Rate, Stream
from alongside.campaigns.money import RateIn
from alongside.campaigns.report import campaign_report, reconciliation, report_rows
from alongside.campaigns.tests.helpers import make_campaign, make_chapter, make_volunteer
from alongside.test import BaseTestCase, make_user

D = Decimal
MAY = dt.date(2026, 5, 4)


class MoneyTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lead = make_user("tessa", "tessa@example.org")
        cls.campaign = make_campaign(team=[cls.lead])
        cls.birmingham = make_chapter(cls.campaign)
        cls.toronto = make_chapter(
            cls.campaign, "Toronto", country="CA", currency="CAD", time_zone="America/Toronto"
        )
        cls.volunteer = make_volunteer(cls.birmingham, "viv").user

    def cash(self, amount: str, *, chapter=None, currency="GBP", on=MAY, key=None):
        return money.donation_enter(
            chapter=chapter or self.birmingham,
            stream=Stream.CASH,
            amount=D(amount),
            currency=currency,
            received_on=on,
            counted_by="Viv and Sam",
            entry_key=key,
            actor=self.volunteer,
        )

    def rate(self, currency: str, per_unit: str, on: dt.date, source="Bank of England"):
        return money.rates_save(
            campaign=self.campaign,
            rates=[RateIn(currency, D(per_unit), on, source)],
            actor=self.lead,
        )


class CashTests(MoneyTestCase):
    def test_cash_in_the_campaign_currency_counts_one_to_one_with_no_rate(self):
        d = self.cash("12.34")
        assert d is not None
        self.assertIsNone(d.rate)
        self.assertEqual(
            (d.gross, d.fees, d.net, d.campaign_net), (D("12.34"), 0, D("12.34"), D("12.34"))
        )

    def test_every_entry_is_audited_with_who_and_moves_the_money_version(self):
        before = self.campaign.money_version
        d = self.cash("5.00")
        entry = AuditEntry.objects.get(action="donation.cash", object_id=d.pk)
        self.assertEqual(entry.actor, self.volunteer)
        self.assertEqual(entry.details["amount"], "5.00")
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.money_version, before + 1)

    def test_the_same_form_sent_twice_saves_one_donation(self):
        key = uuid.uuid4()
        self.assertIsNotNone(self.cash("20.00", key=key))
        self.assertIsNone(self.cash("20.00", key=key))
        self.assertEqual(Donation.objects.filter(chapter=self.birmingham).count(), 1)

    def test_a_refund_is_a_negative_entry_and_the_original_is_unchanged(self):
        d = self.cash("30.00")
        assert d is not None
        refund = money.refund_record(
            donation=d,
            amount=D("10.00"),
            received_on=MAY,
            note="Gave too much",
            actor=self.volunteer,
        )
        self.assertEqual(
            (refund.gross, refund.net, refund.refund_of), (D("-10.00"), D("-10.00"), d)
        )
        d.refresh_from_db()
        self.assertEqual(d.gross, D("30.00"))
        with self.assertRaises(ValueError):
            money.refund_record(
                donation=d,
                amount=D("20.01"),
                received_on=MAY,
                note="Too much",
                actor=self.volunteer,
            )
        self.assertEqual(reconciliation(self.birmingham)["streams"][0].net, D("20.00"))


class RateTests(MoneyTestCase):
    def test_the_conversion_is_at_the_recorded_rate_to_the_penny_halves_up(self):
        self.rate("CAD", "0.54321", MAY)
        d = self.cash("10.05", chapter=self.toronto, currency="CAD")
        assert d is not None
        # 10.05 x 0.54321 = 5.4592605 -> 5.46; 0.125 rounds up, never to even.
        self.assertEqual(d.campaign_gross, D("5.46"))
        self.assertEqual(d.rate, Rate.objects.get(currency="CAD"))
        self.assertEqual(money.convert(D("0.25"), Rate(per_unit=D("0.5"))), D("0.13"))

    def test_the_rate_on_or_before_the_date_else_the_earliest_after(self):
        self.rate("CAD", "0.50", MAY)
        self.rate("CAD", "0.60", MAY + dt.timedelta(days=10))
        early = self.cash(
            "100.00", chapter=self.toronto, currency="CAD", on=MAY - dt.timedelta(days=3)
        )
        middle = self.cash(
            "100.00", chapter=self.toronto, currency="CAD", on=MAY + dt.timedelta(days=9)
        )
        late = self.cash(
            "100.00", chapter=self.toronto, currency="CAD", on=MAY + dt.timedelta(days=10)
        )
        self.assertEqual(
            [d.campaign_gross for d in (early, middle, late)], [D("50.00"), D("50.00"), D("60.00")]
        )

    def test_without_a_rate_it_waits_and_is_converted_when_one_is_saved(self):
        d = self.cash("10.00", chapter=self.toronto, currency="CAD")
        assert d is not None
        self.assertIsNone(d.campaign_net)
        self.assertEqual(campaign_report(self.campaign).total.waiting, 1)
        added, moved = self.rate("CAD", "0.55", MAY + dt.timedelta(days=30))
        self.assertEqual((added, moved), (1, 1))
        d.refresh_from_db()
        self.assertEqual(d.campaign_net, D("5.50"))
        # A nearer rate recorded later moves it to that one.
        self.rate("CAD", "0.56", MAY - dt.timedelta(days=1))
        d.refresh_from_db()
        self.assertEqual(d.campaign_net, D("5.60"))

    def test_a_day_already_recorded_keeps_its_rate(self):
        self.rate("EUR", "0.85", MAY)
        self.assertEqual(self.rate("EUR", "0.90", MAY), (0, 0))
        self.assertEqual(Rate.objects.get(currency="EUR").per_unit, D("0.85"))


class TotalsTests(MoneyTestCase):
    def test_the_report_totals_equal_a_recount_in_decimal_in_every_currency(self):
        self.rate("CAD", "0.5437", MAY)
        self.rate("USD", "0.7919", MAY)
        amounts = ["0.01", "19.99", "33.33", "1000000.07", "2.50", "7.77"]
        for n, amount in enumerate(amounts * 3):
            chapter, currency = [
                (self.birmingham, "GBP"), (self.toronto, "CAD"), (self.toronto, "USD")
            ][n % 3]  # fmt: skip
            self.cash(amount, chapter=chapter, currency=currency)
        report = campaign_report(self.campaign)
        for line in report.currencies:
            rows = Donation.objects.filter(currency=line.currency)
            self.assertEqual(line.gross, sum((d.gross for d in rows), D(0)))
            self.assertEqual(line.campaign_net, sum((d.campaign_net for d in rows), D(0)))
            self.assertIsInstance(line.gross, Decimal)
        everything = Donation.objects.all()
        self.assertEqual(report.total.campaign_net, sum((d.campaign_net for d in everything), D(0)))
        self.assertEqual(sum((c.count for c in report.chapters), 0), len(amounts) * 3)

    def test_the_csv_parses_back_to_the_exact_decimal_and_guards_formulas(self):
        self.cash("1000000.07")
        d = money.donation_enter(
            chapter=self.birmingham, stream=Stream.CHEQUE, amount=D("0.10"), currency="GBP",
            received_on=MAY, counted_by="=HYPERLINK()", actor=self.volunteer,
        )  # fmt: skip
        assert d is not None
        self.rate("CAD", "0.12345678", MAY, source="=cmd|' /C calc'!A0")
        self.cash("3.00", chapter=self.toronto, currency="CAD")
        rows = list(csv.reader(io.StringIO(self._csv())))
        currency = next(r for r in rows if r[:2] == ["Currency", "GBP"])
        self.assertEqual(D(currency[4]), D("1000000.17"))
        rate = next(r for r in rows if r[:2] == ["Rate", "CAD"])
        self.assertEqual(D(rate[3]), D("0.12345678"))
        self.assertTrue(rate[4].startswith("'="))

    def _csv(self) -> str:
        return "\n".join(
            ",".join(f'"{v}"' for v in row) for row in report_rows(campaign_report(self.campaign))
        )

    def test_each_reconciliation_line_is_the_sum_of_its_rows(self):
        self.cash("10.10")
        self.cash("0.05", currency="EUR")
        d = self.cash("7.00")
        assert d is not None
        money.refund_record(
            donation=d, amount=D("7.00"), received_on=MAY, note="Given back", actor=self.volunteer
        )
        lines = reconciliation(self.birmingham)["streams"]
        self.assertEqual(
            [(x.label, x.currency, x.count) for x in lines],
            [("Cash", "EUR", 1), ("Cash", "GBP", 3)],
        )
        for line in lines:
            rows = Donation.objects.filter(chapter=self.birmingham, currency=line.currency)
            self.assertEqual(line.gross, sum((r.gross for r in rows), D(0)))
            self.assertEqual(line.net, sum((r.net for r in rows), D(0)))
        self.assertEqual(lines[1].net, D("10.10"))
