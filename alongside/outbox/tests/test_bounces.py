"""Addresses mail cannot reach: refused for good, bounced or complained; shown to organisers."""

from __future__ import annotations

import base64
import datetime as dt
import json
import smtplib

import time_machine
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alongside.accounts.models import AuditEntry
from alongside.bookings.tasks import send_booking_email
from alongside.outbox import bounces, emails
from alongside.outbox.models import Message, Undeliverable
from alongside.outbox.testing import FlakyBackend, RefusingBackend
from alongside.privacy import services as privacy
from alongside.test import RENDERED, BaseTestCase, run_due_tasks

REFUSING = {"default": {"BACKEND": "alongside.outbox.testing.RefusingBackend"}}
AUTH = "Basic " + base64.b64encode(b"tests:bounce-secret").decode()


@override_settings(MAILERS=REFUSING)
class RefusalTests(BaseTestCase):
    def setUp(self):
        self.booking = self.book_patient()
        DBTaskResult.objects.all().delete()
        mail.outbox = []
        self.addCleanup(setattr, RefusingBackend, "error", None)

    def confirm(self):
        send_booking_email.enqueue(self.booking.pk, "booking-confirmed")
        run_due_tasks()
        return Message.objects.get()

    def test_a_5xx_refusal_fails_at_once_and_marks_the_address(self):
        RefusingBackend.error = smtplib.SMTPRecipientsRefused(
            {"pat@example.org": (550, b"5.1.1 No such user")}
        )
        message = self.confirm()
        self.assertEqual(message.state, Message.State.FAILED)
        self.assertEqual(message.attempts, 1)
        self.assertFalse(DBTaskResult.objects.filter(status="READY").exists())
        marked = Undeliverable.objects.get()
        self.assertEqual((marked.email, marked.source), ("pat@example.org", "smtp"))
        self.assertIn("No such user", marked.reason)

    def test_a_5xx_answer_to_the_message_is_permanent_too(self):
        RefusingBackend.error = smtplib.SMTPDataError(554, b"Rejected")
        self.assertEqual(self.confirm().state, Message.State.FAILED)
        self.assertTrue(bounces.is_undeliverable("PAT@example.org"))

    def test_a_4xx_refusal_is_retried_and_marks_nothing(self):
        RefusingBackend.error = smtplib.SMTPRecipientsRefused(
            {"pat@example.org": (451, b"Try again later")}
        )
        message = self.confirm()
        self.assertEqual(message.state, Message.State.QUEUED)
        self.assertFalse(Undeliverable.objects.exists())

    def test_a_connection_error_is_retried_and_marks_nothing(self):
        RefusingBackend.error = smtplib.SMTPServerDisconnected("gone")
        self.assertEqual(self.confirm().state, Message.State.QUEUED)
        self.assertFalse(Undeliverable.objects.exists())


class SkippingTests(BaseTestCase):
    def test_send_skips_an_undeliverable_address_and_says_so(self):
        bounces.mark(email="Pat@Example.org", reason="550", source="smtp")
        with self.assertLogs("alongside.outbox.emails", "INFO") as logs:
            sent = emails.send("booking-link", "pat@example.org", {}, key="test:1")
        self.assertFalse(sent)
        self.assertFalse(Message.objects.exists())
        self.assertIn("undeliverable", logs.output[0])

    def test_one_address_is_recorded_once_whatever_its_case(self):
        bounces.mark(email="pat@example.org", reason="first", source="smtp")
        bounces.mark(email="PAT@example.org", reason="second", source="bounce")
        self.assertEqual(Undeliverable.objects.get().reason, "first")


class ProviderWebhookTests(BaseTestCase):
    """Postmark's tracking webhook, through anymail, at /anymail/postmark/tracking/."""

    def post(self, payload: dict, auth: str | None = AUTH):
        headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
        return self.client.post(
            "/anymail/postmark/tracking/",
            json.dumps(payload),
            content_type="application/json",
            **headers,
        )

    def test_a_hard_bounce_marks_the_address(self):
        r = self.post(
            {
                "RecordType": "Bounce",
                "Type": "HardBounce",
                "TypeCode": 1,
                "Email": "pat@example.org",
                "Description": "The server was unable to deliver your message",
                "Details": "smtp;550 5.1.1 The email account does not exist.",
                "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
                "BouncedAt": "2026-12-05T12:00:00Z",
            }
        )
        self.assertEqual(r.status_code, 200)
        marked = Undeliverable.objects.get()
        self.assertEqual((marked.email, marked.source), ("pat@example.org", "bounce"))
        self.assertIn("Postmark: The server was unable to deliver", marked.reason)

    def test_a_spam_complaint_marks_the_address(self):
        self.post(
            {
                "RecordType": "SpamComplaint",
                "Type": "SpamComplaint",
                "TypeCode": 512,
                "Email": "pat@example.org",
                "MessageID": "00000000-0000-0000-0000-000000000000",
                "BouncedAt": "2026-12-05T12:00:00Z",
            }
        )
        self.assertEqual(Undeliverable.objects.get().source, "complaint")

    def test_a_soft_bounce_marks_nothing(self):
        self.post(
            {
                "RecordType": "Bounce",
                "Type": "SoftBounce",
                "TypeCode": 4096,
                "Email": "pat@example.org",
                "Description": "The mailbox is full",
                "MessageID": "00000000-0000-0000-0000-000000000000",
                "BouncedAt": "2026-12-05T12:00:00Z",
            }
        )
        event = AnymailTrackingEvent(
            event_type="bounced", recipient="kim@example.org", description="Transient: General"
        )
        tracking.send(sender=object, event=event, esp_name="Amazon SES")
        self.assertFalse(Undeliverable.objects.exists())

    def test_a_delivery_or_an_open_marks_nothing(self):
        self.post(
            {
                "RecordType": "Delivery",
                "Recipient": "pat@example.org",
                "MessageID": "00000000-0000-0000-0000-000000000000",
                "DeliveredAt": "2026-12-05T12:00:00Z",
            }
        )
        self.assertFalse(Undeliverable.objects.exists())

    def test_without_the_secret_nothing_is_recorded(self):
        payload = {"RecordType": "Bounce", "Type": "HardBounce", "Email": "pat@example.org"}
        r = self.post(payload, auth=None)
        self.assertGreaterEqual(r.status_code, 400)
        r = self.post(payload, auth="Basic " + base64.b64encode(b"tests:wrong").decode())
        self.assertGreaterEqual(r.status_code, 400)
        self.assertFalse(Undeliverable.objects.exists())

    def test_any_provider_through_the_signal(self):
        event = AnymailTrackingEvent(
            event_type="rejected", recipient="sam@example.org", reject_reason="invalid"
        )
        tracking.send(sender=object, event=event, esp_name="Amazon SES")
        self.assertEqual(Undeliverable.objects.get().reason, "Amazon SES: invalid")
        deferred = AnymailTrackingEvent(event_type="deferred", recipient="kim@example.org")
        tracking.send(sender=object, event=deferred, esp_name="Amazon SES")
        self.assertEqual(Undeliverable.objects.count(), 1)


@RENDERED
class WhoIsComingTests(BaseTestCase):
    def setUp(self):
        self.booking = self.book_patient()
        self.url = f"/sessions/{self.session.pk}/bookings/"
        self.client.force_login(self.organiser)

    def test_organisers_see_which_addresses_bounce(self):
        self.book(name="Kim")
        bounces.mark(email="PAT@example.org", reason="550", source="smtp")
        r = self.client.get(self.url)
        self.assertContains(r, "Emails to this address bounce", count=1)
        # The reason can quote the server's answer: organisers need only the fact.
        self.assertNotContains(r, "550")

    def test_the_page_costs_the_same_queries_however_many_bounce(self):
        with self.assertNumQueries(5):
            self.client.get(self.url)
        for n in range(6):
            booking = self.book(name=f"Extra {n}")
            if n % 2:
                bounces.mark(email=booking.email, reason="550", source="bounce")
        with self.assertNumQueries(5):
            r = self.client.get(self.url)
        self.assertContains(r, "Emails to this address bounce", count=3)

    def test_an_organiser_clears_the_marker_and_it_is_audited(self):
        bounces.mark(email="pat@example.org", reason="550", source="smtp")
        url = f"/sessions/{self.session.pk}/bookings/{self.booking.pk}/bounce/clear/"
        r = self.client.post(url)
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        self.assertFalse(Undeliverable.objects.exists())
        entry = AuditEntry.objects.get(action="undeliverable.clear")
        self.assertEqual((entry.actor, entry.surgery_id), (self.organiser, self.surgery.pk))
        self.assertNotContains(self.client.get(self.url), "Emails to this address bounce")

    def test_another_organiser_cannot_clear_it(self):
        bounces.mark(email="pat@example.org", reason="550", source="smtp")
        self.client.force_login(self.other_organiser)
        url = f"/sessions/{self.session.pk}/bookings/{self.booking.pk}/bounce/clear/"
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertTrue(Undeliverable.objects.exists())


class PrivacyTests(BaseTestCase):
    def test_export_lists_it_and_erasure_deletes_it(self):
        self.book_patient()
        bounces.mark(email="pat@example.org", reason="550 no such user", source="smtp")
        exported = privacy.export_person("pat@example.org")
        self.assertEqual(exported["emails_bounce"][0]["source"], "smtp")
        privacy.erase_person(email="pat@example.org")
        self.assertFalse(Undeliverable.objects.exists())


class QueuedBeforeTests(BaseTestCase):
    @override_settings(MAILERS={"default": {"BACKEND": "alongside.outbox.testing.FlakyBackend"}})
    def test_a_message_waiting_for_a_retry_is_not_sent_once_the_address_bounces(self):
        FlakyBackend.failures = 1
        self.addCleanup(setattr, FlakyBackend, "failures", 0)
        booking = self.book_patient()
        mail.outbox = []
        with time_machine.travel(timezone.now(), tick=False) as clock:
            send_booking_email.enqueue(booking.pk, "booking-confirmed")
            run_due_tasks()
            self.assertEqual(Message.objects.get().state, Message.State.QUEUED)
            bounces.mark(email="pat@example.org", reason="bounced", source="bounce")
            clock.shift(dt.timedelta(minutes=2))
            run_due_tasks()
        self.assertEqual(self.sent_to("pat@example.org"), [])
        message = Message.objects.get()
        self.assertEqual((message.state, message.last_error), ("failed", "undeliverable address"))
