"""Importing a provider's export: a preview first, and nothing ever counted twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.accounts.models import AuditEntry
from alongside.campaigns import money
from alongside.campaigns.models import Donation, DonationImport, ImportDraft
from alongside.campaigns.money import RateIn
from alongside.campaigns.tests.helpers import make_campaign, make_chapter, make_volunteer, sample
from alongside.test import BaseTestCase, make_user

D = Decimal
TICKETS = sample("tickettree-export.csv")
TIPS = sample("payfriend-export.csv")


class ImportTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lead = make_user("tessa", "tessa@example.org")
        cls.campaign = make_campaign(team=[cls.lead])
        cls.chapter = make_chapter(cls.campaign)
        cls.volunteer = make_volunteer(cls.chapter, "viv").user

    def run_import(self, content: str, provider="TicketTree", name="export.csv"):
        draft = money.draft_save(
            chapter=self.chapter,
            provider=provider,
            file_name=name,
            content=content,
            actor=self.volunteer,
        )
        return money.import_commit(draft=draft, actor=self.volunteer)

    def total(self) -> Decimal:
        return sum((d.net for d in Donation.objects.filter(chapter=self.chapter)), D(0))


class ImportServiceTests(ImportTestCase):
    def test_the_preview_sorts_rows_and_saves_nothing(self):
        preview = money.import_preview(chapter=self.chapter, provider="TicketTree", content=TICKETS)
        self.assertEqual((len(preview.new), len(preview.already), len(preview.bad)), (20, 0, 0))
        self.assertEqual(Donation.objects.count(), 0)
        refund = next(r for r in preview.new if r.is_refund)
        self.assertEqual(refund.gross, D("-10.00"))

    def test_the_same_file_twice_adds_nothing(self):
        first = self.run_import(TICKETS)
        total = self.total()
        second = self.run_import(TICKETS)
        self.assertEqual((first.added, first.already_counted), (20, 0))
        self.assertEqual((second.added, second.already_counted), (0, 20))
        self.assertEqual(self.total(), total)

    def test_an_overlapping_export_adds_only_what_is_new(self):
        lines = TICKETS.splitlines()
        self.run_import("\n".join(lines[:13]))  # heading and the first 12 rows
        overlap = self.run_import("\n".join([lines[0], *lines[6:]]))
        self.assertEqual((overlap.added, overlap.already_counted, overlap.rows), (8, 7, 15))
        self.assertEqual(Donation.objects.count(), 20)
        whole = sum((D(line.split(",")[3]) - D(line.split(",")[5]) for line in lines[1:]), D(0))
        self.assertEqual(self.total(), whole)

    def test_a_second_provider_overlapping_by_date_but_not_by_reference_adds_all_its_rows(self):
        self.run_import(TICKETS)
        tips = self.run_import(TIPS, provider="PayFriend")
        self.assertEqual(tips.added, 20)
        # USD rows wait for a rate; saving one converts them in the same transaction.
        waiting = Donation.objects.filter(currency="USD", campaign_net__isnull=True).count()
        self.assertEqual(waiting, 4)
        money.rates_save(
            campaign=self.campaign,
            rates=[RateIn("USD", D("0.79"), dt.date(2026, 5, 1), "Bank of England")],
            actor=self.lead,
        )
        self.assertFalse(Donation.objects.filter(campaign_net__isnull=True).exists())

    def test_rows_with_problems_are_listed_with_their_reason_and_left_out(self):
        content = (
            TICKETS.splitlines()[0]
            + "\n"
            + "\n".join(
                [
                    "TT-1,01/05/2026,A,ten,GBP,0,Completed",
                    "TT-2,2026-05-01,A,10.00,GBP,0,Completed",
                    ",01/05/2026,A,10.00,GBP,0,Completed",
                    "TT-3,01/05/2026,A,10.001,GBP,0,Completed",
                    "TT-4,01/05/2026,A,10.00,GBP,0.35,Completed",
                    "TT-4,01/05/2026,A,10.00,GBP,0.35,Completed",
                ]
            )
        )
        preview = money.import_preview(chapter=self.chapter, provider="TicketTree", content=content)
        self.assertEqual(len(preview.new), 1)
        self.assertEqual([r.line for r in preview.bad], [2, 3, 4, 5, 7])
        self.assertTrue(all(r.problem for r in preview.bad))

    def test_a_file_from_another_provider_is_refused_whole(self):
        preview = money.import_preview(chapter=self.chapter, provider="TicketTree", content=TIPS)
        self.assertIn("Order ID", preview.problem)

    def test_each_import_is_audited_and_recorded(self):
        record = self.run_import(TICKETS, name="may.csv")
        entry = AuditEntry.objects.get(action="donation.import")
        self.assertEqual((entry.actor, entry.details["added"]), (self.volunteer, 20))
        self.assertEqual(DonationImport.objects.get().file_name, "may.csv")
        self.assertEqual(record.donations.count(), 20)


class ImportPageTests(ImportTestCase):
    def upload(self, content: str, provider="TicketTree"):
        return self.client.post(
            f"/campaigns/{self.campaign.slug}/{self.chapter.slug}/money/import/",
            {"provider": provider, "file": SimpleUploadedFile("may.csv", content.encode())},
        )

    def test_upload_preview_then_import_once(self):
        self.client.force_login(self.volunteer)
        r = self.upload(TICKETS)
        self.assertContains(r, "20</strong> donations to add")
        self.assertEqual(Donation.objects.count(), 0)
        confirm = r.context["draft"]
        url = f"/campaigns/{self.campaign.slug}/{self.chapter.slug}/money/import/{confirm.pk}/"
        r = self.client.post(url, follow=True)
        self.assertContains(r, "20 added, 0 already counted")
        self.assertEqual(Donation.objects.count(), 20)
        # Pressing Import again (the back button, a double tap) finds it done.
        r = self.client.post(url, follow=True)
        self.assertContains(r, "already imported")
        self.assertEqual(Donation.objects.count(), 20)
        r = self.upload(TICKETS)
        self.assertContains(r, "20 already counted")
        self.assertIsNone(r.context["draft"])

    def test_someone_else_cannot_import_anothers_upload(self):
        self.client.force_login(self.volunteer)
        draft = self.upload(TICKETS).context["draft"]
        other = make_volunteer(self.chapter, "olu").user
        self.client.force_login(other)
        self.client.post(
            f"/campaigns/{self.campaign.slug}/{self.chapter.slug}/money/import/{draft.pk}/"
        )
        self.assertEqual(Donation.objects.count(), 0)
        self.assertTrue(ImportDraft.objects.filter(pk=draft.pk).exists())

    def test_a_file_that_is_not_text_is_refused(self):
        self.client.force_login(self.volunteer)
        r = self.client.post(
            f"/campaigns/{self.campaign.slug}/{self.chapter.slug}/money/import/",
            {"provider": "TicketTree", "file": SimpleUploadedFile("a.csv", b"\xff\xfe\x00bad")},
        )
        self.assertContains(r, "not a CSV file")


class DraftTests(ImportTestCase):
    def test_an_upload_never_imported_is_discarded_after_a_day_by_the_daily_job(self):
        self.assertIn("alongside.campaigns.money.discard_old_drafts", settings.DAILY_JOBS)
        kept = money.draft_save(
            chapter=self.chapter, provider="TicketTree", file_name="a.csv", content=TICKETS,
            actor=self.volunteer,
        )  # fmt: skip
        with time_machine.travel(dt.timedelta(hours=25)):
            self.assertEqual(money.discard_old_drafts(), 1)
        self.assertFalse(ImportDraft.objects.filter(pk=kept.pk).exists())
