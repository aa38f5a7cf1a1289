"""Surgeons record help from a link in their email: signed, expiring, for their pairing only."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from alongside.helprecords import access, services
from alongside.helprecords.models import HelpRecord, Pairing
from alongside.lib import tokens
from alongside.test import BaseTestCase


class RecordLinkTestCase(BaseTestCase):
    def setUp(self):
        self.today = self.make_session(days=0, start_time=dt.time(0, 0), end_time=dt.time(23, 59))
        self.pat = self.book_patient(self.today, topics=[self.facebook])
        self.ann = self.book(self.today, name="Ann")
        self.sam = self.offer_help(self.today)
        self.kim = self.offer_help(self.today, name="Kim", email="kim@example.org")
        self.mine = Pairing.objects.create(
            session=self.today, person=self.pat, surgeon=self.sam, ended_at=timezone.now()
        )
        self.theirs = Pairing.objects.create(
            session=self.today, person=self.ann, surgeon=self.kim, ended_at=timezone.now()
        )
        self.url = f"/pairings/{access.record_token(self.mine)}/record/"

    def test_the_surgeon_records_their_pairing_without_an_account(self):
        r = self.client.get(self.url)
        self.assertContains(r, "What did you and Pat Jones do?")
        self.assertContains(r, f'value="{self.facebook.pk}" id="id_topics_0" checked')
        r = self.client.post(
            self.url, {"topics": [self.facebook.pk], "note": "Made a page", "minutes": "30"}
        )
        self.assertRedirects(r, self.url)
        record = HelpRecord.objects.get()
        self.assertEqual(
            (record.booking, record.surgeon, record.pairing), (self.pat, self.sam, self.mine)
        )
        self.assertIsNone(record.recorded_by)
        self.assertContains(self.client.get(self.url), "Thank you, it is recorded")

    def test_recording_twice_keeps_the_first(self):
        self.client.post(self.url, {"note": "Made a page"})
        self.client.post(self.url, {"note": "Something else"})
        self.assertEqual(list(HelpRecord.objects.values_list("note", flat=True)), ["Made a page"])

    def test_a_tampered_link_is_refused(self):
        token = access.record_token(self.mine)
        self.assertEqual(self.client.get(f"/pairings/{token}x/record/").status_code, 404)
        self.assertEqual(self.client.get(f"/pairings/{self.mine.pk}/record/").status_code, 404)

    def test_a_link_only_opens_the_pairing_it_was_made_for(self):
        # Same signer and salt, but for a pairing Sam was not in: the surgeon id must match.
        from django.core import signing

        forged = signing.TimestampSigner(salt=tokens.RECORD.salt).sign_object(
            {"p": self.theirs.pk, "s": self.sam.pk}
        )
        self.assertEqual(self.client.get(f"/pairings/{forged}/record/").status_code, 404)
        self.client.post(self.url, {"note": "Made a page"})
        self.assertFalse(HelpRecord.objects.filter(pairing=self.theirs).exists())

    def test_links_expire_after_thirty_days(self):
        with time_machine.travel(timezone.now() + dt.timedelta(days=29)):
            self.assertEqual(self.client.get(self.url).status_code, 200)
        with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
            self.assertEqual(self.client.get(self.url).status_code, 404)
            self.client.post(self.url, {"note": "Too late"})
        self.assertFalse(HelpRecord.objects.exists())


class UnrecordedReminderTestCase(BaseTestCase):
    def test_organisers_get_one_reminder_a_day_after_listing_unrecorded_pairings(self):
        today = self.make_session(days=0, start_time=dt.time(0, 0), end_time=dt.time(23, 59))
        pat = self.book_patient(today)
        sam = self.offer_help(today)
        ann = self.book(today, name="Ann")
        with self.sending():
            done = services.pairing_start(session=today, person=pat, surgeon=sam, actor=None)
            services.pairing_end(pairing=done, actor=None)
            services.help_record_add(
                booking=pat,
                surgeon=sam,
                pairing=done,
                topics=[],
                note="x",
                links=[],
                public=False,
                actor=None,
            )
            open_one = services.pairing_start(session=today, person=ann, surgeon=sam, actor=None)
            services.pairing_end(pairing=open_one, actor=None)
        due = today.ends_at + dt.timedelta(days=1)
        with time_machine.travel(due - dt.timedelta(hours=2)):
            from alongside.test import run_due_tasks

            run_due_tasks()
        self.assertEqual(self.sent_to("melissa@example.org"), [])
        with time_machine.travel(due + dt.timedelta(minutes=5)):
            run_due_tasks()
        with time_machine.travel(due + dt.timedelta(days=3)):
            run_due_tasks()
        (reminder,) = [m for m in self.sent_to("melissa@example.org") if "no record" in m.subject]
        self.assertIn("Ann with Sam Hill", reminder.body)
        self.assertNotIn("Pat Jones with", reminder.body)
