"""Email addresses people can really receive mail at: no IP-literal domains, nothing hidden."""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.test import BaseTestCase

REFUSED = {
    "pat@[127.0.0.1]": "with a name after the @",
    "pat@exam\u200bple.org": "hidden character",
    "pa\u200dt@example.org": "",
    "pat@example.org\u202e": "hidden character",
}


class EmailAddressTestCase(BaseTestCase):
    def test_the_booking_form_refuses_addresses_nobody_reads(self):
        for email, says in REFUSED.items():
            with self.subTest(email=email):
                r = self.client.post(
                    f"/sessions/{self.session.pk}/book/",
                    {"name": "Pat", "email": email, "goal": "A page"},
                )
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, says)
        self.assertFalse(Booking.objects.exists())

    def test_the_privacy_and_start_forms_refuse_them_too(self):
        r = self.client.post("/privacy/ask/", {"email": "pat@[127.0.0.1]"})
        self.assertContains(r, "with a name after the @")
        self.client.force_login(self.proposer)
        r = self.client.post("/start/", {"co_organisers": "ann@exam\u200bple.org"})
        self.assertContains(r, "does not look like an email address")

    def test_an_ordinary_address_still_books(self):
        r = self.client.post(
            f"/sessions/{self.session.pk}/book/",
            {"name": "Pat", "email": "Pat.Jones@example.org", "goal": "A page"},
        )  # fmt: skip
        self.assertEqual(r.status_code, 302)
