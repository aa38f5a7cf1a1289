"""Dormant surgeries are asked once whether to start again or close; closing and reopening."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.surgeries.dormancy import ask_dormant_surgeries
from alongside.surgeries.models import Surgery
from alongside.test import BaseTestCase


class DormantSurgeriesTestCase(BaseTestCase):
    def setUp(self):
        # Dudley was listed long ago and last met seven months ago.
        Surgery.objects.filter(pk=self.other_surgery.pk).update(
            created_at=timezone.now() - dt.timedelta(days=700)
        )
        self.last = self.make_session(days=-210, surgery=self.other_surgery)

    def ask(self) -> int:
        with self.sending():
            return ask_dormant_surgeries()

    def test_its_organisers_are_asked_once_even_if_the_job_runs_twice(self):
        self.assertEqual(self.ask(), 1)
        self.assertEqual(self.ask(), 0)
        sent = self.sent_to("omar@example.org")
        self.assertEqual(len(sent), 1)
        message = sent[0]
        self.assertIn("Dudley Social Media Surgery: start again, or close it?", message.subject)
        self.assertIn("/surgeries/dudley/sessions/new/", message.body)
        self.assertIn("/surgeries/dudley/repeat/", message.body)
        self.assertIn("/surgeries/dudley/close/", message.body)
        self.assertIn("/surgeries/dudley/close/", message.alternatives[0][0])
        self.other_surgery.refresh_from_db()
        self.assertIsNotNone(self.other_surgery.dormant_asked_at)

    def test_active_surgeries_are_not_asked(self):
        self.make_session(days=-30, surgery=self.other_surgery)
        self.assertEqual(self.ask(), 0)
        self.assertEqual(mail.outbox, [])

    def test_a_surgery_with_a_session_coming_is_not_asked(self):
        self.make_session(days=30, surgery=self.other_surgery)
        self.assertEqual(self.ask(), 0)

    def test_a_cancelled_session_does_not_count_as_activity(self):
        self.make_session(days=10, surgery=self.other_surgery, cancelled_at=timezone.now())
        self.assertEqual(self.ask(), 1)

    def test_a_new_surgery_is_not_asked(self):
        # Stourbridge's only session is next week; a brand-new surgery with none is not asked.
        self.session.delete()
        self.assertEqual(self.ask(), 1)  # Dudley only
        self.assertEqual(self.sent_to("melissa@example.org"), [])

    def test_closed_and_proposed_surgeries_are_not_asked(self):
        Surgery.objects.filter(pk=self.other_surgery.pk).update(closed_at=timezone.now())
        self.assertEqual(self.ask(), 0)
        Surgery.objects.filter(pk=self.other_surgery.pk).update(closed_at=None, approved_at=None)
        self.assertEqual(self.ask(), 0)

    def test_a_new_session_means_a_later_spell_asks_again(self):
        self.ask()
        self.client.force_login(self.other_organiser)
        form = {
            "date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "online_url": "https://meet.example.org/dudley",
            "help_places": "8",
            "surgeon_places": "3",
        }
        r = self.client.post("/surgeries/dudley/sessions/new/", form)
        self.assertEqual(r.status_code, 302)
        self.other_surgery.refresh_from_db()
        self.assertIsNone(self.other_surgery.dormant_asked_at)


class CloseAndReopenTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.other_organiser)

    def test_the_organiser_closes_a_surgery_after_confirming(self):
        r = self.client.get("/surgeries/dudley/close/")
        self.assertContains(r, "Close Dudley Social Media Surgery?")
        self.assertIsNone(Surgery.objects.get(pk=self.other_surgery.pk).closed_at)
        r = self.client.post("/surgeries/dudley/close/")
        self.assertRedirects(r, "/surgeries/dudley/")
        surgery = Surgery.objects.get(pk=self.other_surgery.pk)
        self.assertIsNotNone(surgery.closed_at)
        entry = AuditEntry.objects.get(action="surgery.close")
        self.assertEqual((entry.actor, entry.surgery), (self.other_organiser, surgery))
        r = self.client.get("/surgeries/dudley/")
        self.assertContains(r, "This surgery has closed")
        self.assertContains(r, 'href="/surgeries/dudley/reopen/"')

    def test_a_closed_surgery_leaves_the_directory_and_calendar(self):
        session = self.make_session(days=5, surgery=self.other_surgery)
        self.assertContains(self.client.get("/calendar/"), f'href="/sessions/{session.pk}/"')
        Surgery.objects.filter(pk=self.other_surgery.pk).update(closed_at=timezone.now())
        self.client.logout()
        self.assertNotContains(self.client.get("/calendar/"), f'href="/sessions/{session.pk}/"')
        self.assertNotContains(self.client.get("/surgeries/"), "Dudley Social Media Surgery")

    def test_sessions_coming_up_must_be_cancelled_first(self):
        session = self.make_session(days=5, surgery=self.other_surgery)
        r = self.client.post("/surgeries/dudley/close/")
        self.assertContains(r, "Cancel them first")
        self.assertContains(r, f'href="/sessions/{session.pk}/bookings/"')
        self.assertIsNone(Surgery.objects.get(pk=self.other_surgery.pk).closed_at)

    def test_the_organiser_reopens_it(self):
        self.client.post("/surgeries/dudley/close/")
        self.assertContains(self.client.get("/organise/"), "Reopen it")
        r = self.client.post("/surgeries/dudley/reopen/")
        self.assertRedirects(r, "/surgeries/dudley/sessions/new/")
        self.assertIsNone(Surgery.objects.get(pk=self.other_surgery.pk).closed_at)
        self.assertTrue(AuditEntry.objects.filter(action="surgery.reopen").exists())
