"""Signing in: codes that expire and work once, limits on guessing, session time-outs, and a
second factor for network admins."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from alongside.test import BaseTestCase

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
CODE = re.compile(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", re.M)


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


class CodeTestCase(BaseTestCase):
    def setUp(self):
        self.traveller = time_machine.travel(NOW, tick=False)
        self.clock = self.traveller.start()
        self.addCleanup(self.traveller.stop)

    def request_code(self, email: str = "melissa@example.org") -> str:
        # A fresh browser each time, as a robot asking for codes would be.
        self.client.cookies.clear()
        r = self.client.post("/accounts/login/", {"login": email})
        self.assertRedirects(r, "/accounts/login/code/confirm/", fetch_redirect_response=False)
        return CODE.search(mail.outbox[-1].body).group(1)

    def signed_in(self) -> bool:
        return self.client.get("/organise/").status_code == 200


class SignInCodeTestCase(CodeTestCase):
    def test_a_code_works_for_fifteen_minutes(self):
        code = self.request_code()
        self.clock.shift(dt.timedelta(minutes=14))
        self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertTrue(self.signed_in())

    def test_an_expired_code_does_not_sign_in(self):
        code = self.request_code()
        self.clock.shift(dt.timedelta(minutes=16))
        self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertFalse(self.signed_in())

    def test_a_code_works_once(self):
        code = self.request_code()
        self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertTrue(self.signed_in())
        self.client.post("/accounts/logout/")
        self.assertFalse(self.signed_in())
        self.request_code()
        self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertFalse(self.signed_in())

    def test_three_wrong_codes_end_the_attempt(self):
        code = self.request_code()
        for wrong in ["AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"]:
            self.client.post("/accounts/login/code/confirm/", {"code": wrong})
        self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertFalse(self.signed_in())

    def test_codes_for_one_address_are_limited(self):
        for _n in range(3):
            self.request_code()
        self.client.cookies.clear()
        r = self.client.post("/accounts/login/", {"login": "melissa@example.org"})
        self.assertEqual(len(mail.outbox), 3)
        self.assertIn(r.status_code, (200, 429))
        # Five minutes later, another code can be sent.
        self.clock.shift(dt.timedelta(minutes=6))
        self.request_code()
        self.assertEqual(len(mail.outbox), 4)


@override_settings(
    SESSION_IDLE_TIMEOUT=12 * 3600,
    SESSION_ABSOLUTE_TIMEOUT=14 * 24 * 3600,
    STAFF_SESSION_IDLE_TIMEOUT=2 * 3600,
    STAFF_SESSION_ABSOLUTE_TIMEOUT=24 * 3600,
)
class SessionTimeoutTestCase(CodeTestCase):
    def test_an_organiser_is_signed_out_after_twelve_hours_away(self):
        self.client.force_login(self.organiser)
        self.assertTrue(self.signed_in())
        self.clock.shift(dt.timedelta(hours=11))
        self.assertTrue(self.signed_in())
        self.clock.shift(dt.timedelta(hours=12, minutes=1))
        r = self.client.get("/organise/")
        self.assertRedirects(r, "/accounts/login/?next=/organise/", fetch_redirect_response=False)
        r = self.client.get("/accounts/login/")
        self.assertContains(r, "You were signed out, to keep your account safe.")

    def test_an_organiser_who_keeps_coming_back_signs_in_again_after_two_weeks(self):
        self.client.force_login(self.organiser)
        self.assertTrue(self.signed_in())
        # A visit every 11 hours keeps the session alive, until two weeks are up.
        for _visit in range(30):
            self.clock.shift(dt.timedelta(hours=11))
            self.assertTrue(self.signed_in())
        self.clock.shift(dt.timedelta(hours=11))
        self.assertFalse(self.signed_in())

    def test_a_network_admin_is_signed_out_sooner(self):
        self.client.force_login(self.admin)
        self.assertTrue(self.signed_in())
        self.clock.shift(dt.timedelta(hours=1, minutes=50))
        self.assertTrue(self.signed_in())
        self.clock.shift(dt.timedelta(hours=2, minutes=1))
        self.assertFalse(self.signed_in())

    def test_a_network_admin_signs_in_again_after_a_day(self):
        self.client.force_login(self.admin)
        for _n in range(13):
            self.clock.shift(dt.timedelta(hours=1, minutes=50))
            self.assertTrue(self.signed_in())
        self.clock.shift(dt.timedelta(minutes=20))
        self.assertFalse(self.signed_in())


@override_settings(STAFF_SECOND_FACTOR_REQUIRED=True)
class SecondFactorTestCase(CodeTestCase):
    def activate_totp(self) -> str:
        r = self.client.get("/accounts/2fa/totp/activate/")
        self.assertEqual(r.status_code, 200)
        secret = r.context["form"].secret
        r = self.client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
        self.assertEqual(r.status_code, 302)
        return secret

    def test_a_network_admin_without_one_is_sent_to_set_it_up(self):
        self.client.force_login(self.admin)
        for url in ["/network/", "/network/proposals/", "/admin/"]:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertRedirects(
                    r, "/accounts/2fa/totp/activate/", fetch_redirect_response=False
                )
        r = self.client.get("/accounts/2fa/totp/activate/")
        self.assertContains(r, "Network admins sign in with a second step")
        # Their organiser pages and the public site are not held up.
        self.assertEqual(self.client.get("/organise/").status_code, 200)

    def test_the_second_factor_pages_open_in_the_site_layout(self):
        self.client.force_login(self.admin)
        for url in ["/accounts/2fa/", "/accounts/2fa/webauthn/add/"]:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, "Skip to main content")

    def test_organisers_are_not_asked_for_one(self):
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get("/organise/").status_code, 200)
        self.assertEqual(self.client.get("/network/").status_code, 403)

    def test_setting_up_an_authenticator_app_then_using_it_opens_the_network_pages(self):
        self.client.force_login(self.admin)
        secret = self.activate_totp()
        self.assertTrue(Authenticator.objects.filter(user=self.admin, type="totp").exists())
        # Having one is not using one: this session is asked for a code from it.
        r = self.client.get("/network/")
        self.assertRedirects(
            r, "/accounts/2fa/reauthenticate/?next=%2Fnetwork%2F", fetch_redirect_response=False
        )
        self.clock.shift(dt.timedelta(seconds=31))
        r = self.client.post(
            "/accounts/2fa/reauthenticate/", {"code": totp_now(secret), "next": "/network/"}
        )
        self.assertRedirects(r, "/network/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/network/").status_code, 200)

    def test_a_network_admin_with_one_is_asked_for_it_at_sign_in(self):
        self.client.force_login(self.admin)
        secret = self.activate_totp()
        self.client.post("/accounts/logout/")
        self.clock.shift(dt.timedelta(minutes=1))

        code = self.request_code("nadia@example.org")
        r = self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertRedirects(r, "/accounts/2fa/authenticate/", fetch_redirect_response=False)
        self.assertFalse(self.signed_in())
        r = self.client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        self.assertFalse(self.signed_in())
        r = self.client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.get("/network/").status_code, 200)

    def test_a_used_authenticator_code_cannot_be_used_again(self):
        self.client.force_login(self.admin)
        secret = self.activate_totp()
        authenticator = Authenticator.objects.get(user=self.admin, type="totp")
        code = totp_now(secret)
        self.assertTrue(TOTP(authenticator).validate_code(code))
        self.assertFalse(TOTP(authenticator).validate_code(code))
