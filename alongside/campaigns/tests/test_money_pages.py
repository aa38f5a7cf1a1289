"""The money pages through HTTP: who may open each, what they show, and what they cost."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from alongside.accounts.models import AuditEntry
from alongside.campaigns import money
from alongside.campaigns.models import Chapter, Donation, Rate, Stream
from alongside.campaigns.tests.helpers import make_campaign, make_chapter, make_volunteer, sample
from alongside.test import BaseTestCase, make_user

D = Decimal


class MoneyPagesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lead = make_user("tessa", "tessa@example.org")
        cls.campaign = make_campaign(team=[cls.lead])
        cls.chapter = make_chapter(cls.campaign)
        cls.toronto = make_chapter(cls.campaign, "Toronto", country="CA", currency="CAD")
        cls.volunteer = make_volunteer(cls.chapter, "viv").user
        cls.toronto_volunteer = make_volunteer(cls.toronto, "tom").user
        cls.base = f"/campaigns/{cls.campaign.slug}/{cls.chapter.slug}/money/"

    def cash(self, amount="10.00", chapter=None, currency="GBP"):
        return money.donation_enter(
            chapter=chapter or self.chapter, stream=Stream.CASH, amount=D(amount),
            currency=currency, received_on=self.today(), counted_by="Viv",
            actor=self.volunteer,
        )  # fmt: skip

    def today(self):
        from django.utils import timezone

        return timezone.localdate()

    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200, url)
        return len(ctx)


class CashPageTests(MoneyPagesTestCase):
    def test_a_volunteer_enters_cash_once_however_often_it_is_sent(self):
        self.client.force_login(self.volunteer)
        r = self.client.get(self.base)
        self.assertContains(r, 'value="GBP"')
        form = {
            "stream": "cash", "amount": "45.50", "currency": "gbp",
            "received_on": self.today().isoformat(), "counted_by": "Viv and Sam",
            "entry_key": r.context["form"]["entry_key"].value(),
        }  # fmt: skip
        r = self.client.post(self.base, form, follow=True)
        self.assertContains(r, "Saved 45.50 GBP, counted by Viv and Sam")
        r = self.client.post(self.base, form, follow=True)
        self.assertContains(r, "already saved")
        d = Donation.objects.get()
        self.assertEqual((d.gross, d.currency, d.entered_by), (D("45.50"), "GBP", self.volunteer))

    def test_amounts_that_are_not_money_are_refused_next_to_the_field(self):
        self.client.force_login(self.volunteer)
        for amount in ("0", "-5", "1.234", "lots", "NaN", "99999999999"):
            r = self.client.post(self.base, {
                "stream": "cash", "amount": amount, "currency": "GBP",
                "received_on": self.today().isoformat(), "counted_by": "Viv",
                "entry_key": "6f1c3c3a-8a3b-4f0e-9d5c-1b2a3c4d5e6f",
            })  # fmt: skip
            self.assertEqual(r.status_code, 200, amount)
            self.assertContains(r, "There is a problem")
        self.assertFalse(Donation.objects.exists())

    def test_a_volunteer_gives_back_part_of_a_cash_donation(self):
        d = self.cash("30.00")
        self.client.force_login(self.volunteer)
        url = f"{self.base}{d.pk}/refund/"
        r = self.client.post(
            url, {"amount": "40.00", "received_on": self.today().isoformat(), "note": "x"}
        )
        self.assertContains(r, "more than is left")
        self.client.post(
            url, {"amount": "12.00", "received_on": self.today().isoformat(), "note": "Mistake"}
        )
        self.assertEqual(sum(x.net for x in Donation.objects.all()), D("18.00"))
        self.assertTrue(AuditEntry.objects.filter(action="donation.refund").exists())

    def test_a_forged_donation_id_from_another_chapter_is_not_found(self):
        theirs = self.cash("10.00", chapter=self.toronto, currency="CAD")
        self.client.force_login(self.volunteer)
        r = self.client.get(f"{self.base}{theirs.pk}/refund/")
        self.assertEqual(r.status_code, 404)

    def test_the_list_costs_the_same_for_three_or_thirty_donations(self):
        self.client.force_login(self.volunteer)
        for _ in range(3):
            self.cash()
        few = self.queries(self.base)
        for _ in range(27):
            self.cash()
        self.assertEqual(self.queries(self.base), few)
        self.assertLessEqual(few, 10)


class AccessTests(MoneyPagesTestCase):
    def test_volunteers_open_their_own_chapter_only(self):
        self.client.force_login(self.toronto_volunteer)
        for page in ("", "import/", "reconcile/"):
            self.assertEqual(self.client.get(self.base + page).status_code, 403, page)
        self.client.force_login(self.volunteer)
        for page in ("", "import/", "reconcile/"):
            self.assertEqual(self.client.get(self.base + page).status_code, 200, page)
        self.assertEqual(self.client.get(self.base + "webhook/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/campaigns/{self.campaign.slug}/rates/").status_code, 403
        )
        self.assertEqual(
            self.client.get(f"/campaigns/{self.campaign.slug}/report/").status_code, 403
        )

    def test_the_team_opens_every_chapter_and_the_campaign_pages(self):
        self.client.force_login(self.lead)
        for url in (
            self.base, self.base + "reconcile/", self.base + "webhook/",
            f"/campaigns/{self.campaign.slug}/rates/", f"/campaigns/{self.campaign.slug}/report/",
        ):  # fmt: skip
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_what_does_not_exist_is_not_found_and_strangers_are_refused(self):
        self.client.force_login(make_user("stranger", "s@example.org"))
        self.assertEqual(self.client.get(self.base).status_code, 403)
        self.assertEqual(self.client.get("/campaigns/nope/birmingham/money/").status_code, 404)
        make_chapter(self.campaign, "Berlin", status="proposed")
        self.client.force_login(self.lead)
        self.assertEqual(
            self.client.get(f"/campaigns/{self.campaign.slug}/berlin/money/").status_code, 404
        )
        self.client.logout()
        self.assertEqual(self.client.get(self.base).status_code, 302)


class TeamPagesTests(MoneyPagesTestCase):
    def test_a_new_secret_is_shown_once_and_the_old_one_stops_working(self):
        old = self.chapter.webhook_secret
        self.client.force_login(self.lead)
        r = self.client.get(self.base + "webhook/")
        self.assertContains(r, f"/campaigns/hooks/{self.chapter.pk}/")
        self.assertNotContains(r, old)
        r = self.client.post(self.base + "webhook/")
        new = Chapter.objects.get(pk=self.chapter.pk).webhook_secret
        self.assertNotEqual(new, old)
        self.assertContains(r, new)
        self.assertNotContains(self.client.get(self.base + "webhook/"), new)

    def test_the_team_pastes_rates_and_waiting_donations_are_converted(self):
        self.cash("100.00", chapter=self.toronto, currency="CAD")
        self.client.force_login(self.lead)
        url = f"/campaigns/{self.campaign.slug}/rates/"
        self.assertContains(self.client.get(url), "Waiting for a rate: CAD")
        r = self.client.post(
            url,
            {
                "form": "many",
                "many-lines": "CAD, 0.5437, 2020-01-01, Bank of England\n"
                "EUR, 0.85, 2020-01-01, ECB",
            },
            follow=True,
        )
        self.assertContains(r, "2 new rates saved; 1 donations converted again")
        self.assertEqual(Donation.objects.get().campaign_net, D("54.37"))
        r = self.client.post(url, {"form": "many", "many-lines": "CAD, lots, 2020-01-01, x"})
        self.assertContains(r, "Line 1 is not")
        self.assertEqual(Rate.objects.count(), 2)

    def test_the_report_downloads_give_back_the_exact_amounts(self):
        self.cash("1000000.07")
        self.cash("0.10")
        self.client.force_login(self.lead)
        r = self.client.get(f"/campaigns/{self.campaign.slug}/report.csv")
        self.assertIn("1000000.17", r.content.decode())
        r = self.client.get(f"/campaigns/{self.campaign.slug}/report.xlsx")
        sheet = load_workbook(io.BytesIO(r.content)).active
        cells = [c.value for row in sheet.iter_rows() for c in row]
        self.assertIn("1000000.17", cells)
        self.assertFalse(any(isinstance(v, float) for v in cells))

    def test_the_report_and_reconciliation_cost_the_same_for_one_chapter_or_many(self):
        self.client.force_login(self.lead)
        self.cash()
        report = f"/campaigns/{self.campaign.slug}/report/"
        reconcile = self.base + "reconcile/"
        draft = money.draft_save(
            chapter=self.chapter, provider="TicketTree", file_name="a.csv",
            content=sample("tickettree-export.csv"), actor=self.volunteer,
        )  # fmt: skip
        money.import_commit(draft=draft, actor=self.volunteer)
        before = (self.queries(report), self.queries(reconcile))
        for n in range(5):
            chapter = make_chapter(self.campaign, f"Town {n}", currency="EUR")
            self.cash(chapter=chapter, currency="EUR")
        draft = money.draft_save(
            chapter=self.chapter, provider="PayFriend", file_name="b.csv",
            content=sample("payfriend-export.csv"), actor=self.volunteer,
        )  # fmt: skip
        money.import_commit(draft=draft, actor=self.volunteer)
        self.assertEqual((self.queries(report), self.queries(reconcile)), before)


class ProviderMappingTests(MoneyPagesTestCase):
    def test_the_team_maps_a_new_providers_columns_once_and_chapters_import_with_it(self):
        self.client.force_login(self.lead)
        url = f"/campaigns/{self.campaign.slug}/providers/"
        r = self.client.get(url)
        self.assertContains(r, "TicketTree")
        self.assertContains(r, "PayFriend")
        form = {
            "provider": "TipJar", "date_column": "When", "date_format": "%d.%m.%Y",
            "amount_column": "Amount", "currency_column": "", "currency": "eur",
            "reference_column": "Id", "fees_column": "", "refund_column": "", "refund_value": "",
        }  # fmt: skip
        r = self.client.post(url, {**form, "date_format": "nonsense"})
        self.assertContains(r, "Use a form such as")
        self.client.post(url, form)
        r = self.client.post(url, form)
        self.assertContains(r, "already a provider with that name")
        self.assertTrue(AuditEntry.objects.filter(action="campaign.provider_mapping").exists())
        self.client.force_login(self.volunteer)
        content = "Id,When,Amount\nTJ-1,04.05.2026,12.00\nTJ-2,05.05.2026,-2.00\n"
        preview = money.import_preview(chapter=self.chapter, provider="TipJar", content=content)
        self.assertEqual(
            [(r.gross, r.currency) for r in preview.new], [(D("12.00"), "EUR"), (D("-2.00"), "EUR")]
        )

    def test_volunteers_cannot_change_how_exports_are_read(self):
        self.client.force_login(self.volunteer)
        r = self.client.get(f"/campaigns/{self.campaign.slug}/providers/")
        self.assertEqual(r.status_code, 403)

    def test_the_rates_page_costs_the_same_for_two_rates_or_twenty(self):
        self.client.force_login(self.lead)
        url = f"/campaigns/{self.campaign.slug}/rates/"
        lines = [f"CAD, 0.5{n}, 2026-04-{n + 1:02}, Bank of England" for n in range(20)]
        self.client.post(url, {"form": "many", "many-lines": "\n".join(lines[:2])})
        few = self.queries(url)
        self.client.post(url, {"form": "many", "many-lines": "\n".join(lines)})
        self.assertEqual(self.queries(url), few)
