"""The signed live stream: counted once by reference, refused unsigned, late or malformed."""

from __future__ import annotations

import time
from decimal import Decimal

from alongside.accounts.models import AuditEntry
from alongside.campaigns.models import Donation, Stream
from alongside.campaigns.tests.helpers import (
    make_campaign,
    make_chapter,
    post_webhook,
    webhook_body,
)
from alongside.test import BaseTestCase

D = Decimal


class WebhookTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign()
        cls.chapter = make_chapter(cls.campaign)
        cls.other = make_chapter(cls.campaign, "Dudley")

    def total(self) -> Decimal:
        return sum((d.net for d in Donation.objects.filter(chapter=self.chapter)), D(0))

    def test_a_signed_delivery_is_counted_with_its_fees_apart(self):
        r = post_webhook(self.client, self.chapter, webhook_body("PF-1", "12.50", fees="0.66"))
        self.assertEqual(r.status_code, 201)
        d = Donation.objects.get()
        self.assertEqual(
            (d.stream, d.gross, d.fees, d.net), (Stream.WEBHOOK, D("12.50"), D("0.66"), D("11.84"))
        )
        self.assertEqual(d.provider, "PayFriend")
        self.assertTrue(
            AuditEntry.objects.filter(action="donation.webhook", object_id=d.pk).exists()
        )

    def test_a_replay_answers_200_and_adds_nothing(self):
        body = webhook_body("PF-1")
        post_webhook(self.client, self.chapter, body)
        r = post_webhook(self.client, self.chapter, body)
        self.assertEqual((r.status_code, r.json()), (200, {"added": False}))
        self.assertEqual(Donation.objects.count(), 1)

    def test_deliveries_in_any_order_give_the_same_total(self):
        bodies = [
            webhook_body(f"PF-{n}", f"{n}.01", received_on=f"2026-05-{n:02}") for n in range(1, 6)
        ]
        for body in [*reversed(bodies), bodies[2], bodies[0]]:
            post_webhook(self.client, self.chapter, body)
        self.assertEqual(self.total(), sum((D(f"{n}.01") - D("0.50") for n in range(1, 6)), D(0)))

    def test_a_refund_comes_as_a_negative_amount(self):
        post_webhook(self.client, self.chapter, webhook_body("PF-9", "-5.00", fees="0.00"))
        self.assertEqual(self.total(), D("-5.00"))

    def test_a_bad_signature_adds_nothing(self):
        r = post_webhook(self.client, self.chapter, webhook_body("PF-1"), secret="guessed")
        self.assertEqual(r.status_code, 401)
        # Signed for another chapter.
        r = post_webhook(
            self.client, self.chapter, webhook_body("PF-1"), secret=self.other.webhook_secret
        )
        self.assertEqual(r.status_code, 401)
        r = self.client.post(
            f"/campaigns/hooks/{self.chapter.pk}/",
            webhook_body("PF-1"),
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 401)
        self.assertEqual(Donation.objects.count(), 0)

    def test_a_stale_or_future_timestamp_adds_nothing(self):
        # Ten seconds past the 300 allowed: the stamp is whole seconds, the server's clock is
        # not, so a second past it was now and then inside it by the time it was checked.
        for at in (int(time.time()) - 310, int(time.time()) + 310):
            r = post_webhook(self.client, self.chapter, webhook_body("PF-1"), at=at)
            self.assertEqual(r.status_code, 401)
        self.assertEqual(Donation.objects.count(), 0)

    def test_the_body_is_not_logged(self):
        with self.assertLogs("alongside.campaigns.webhooks", "WARNING") as logs:
            post_webhook(self.client, self.chapter, webhook_body("PF-SECRET-REF"), secret="x")
        self.assertNotIn("PF-SECRET-REF", "\n".join(logs.output))

    def test_amounts_must_be_strings_to_the_penny(self):
        for body in (
            b'{"reference": "PF-1", "amount": 10.1, "currency": "GBP", '
            b'"received_on": "2026-05-04"}',
            webhook_body("PF-1", "10.001"),
            webhook_body("PF-1", "NaN"),
            webhook_body("PF-1", currency="POUNDS"),
            webhook_body("PF-1", received_on="yesterday"),
            webhook_body(""),
            b"[1, 2]",
            b"not json",
        ):
            with self.subTest(body=body):
                self.assertEqual(post_webhook(self.client, self.chapter, body).status_code, 400)
        self.assertEqual(Donation.objects.count(), 0)

    def test_an_unknown_or_unapproved_chapter_is_not_found(self):
        proposed = make_chapter(self.campaign, "Berlin", status="proposed")
        self.assertEqual(post_webhook(self.client, proposed, webhook_body("PF-1")).status_code, 404)
        r = self.client.post("/campaigns/hooks/999999/", b"{}", content_type="application/json")
        self.assertEqual(r.status_code, 404)
        self.assertEqual(self.client.get(f"/campaigns/hooks/{self.chapter.pk}/").status_code, 405)
