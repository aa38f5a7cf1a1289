"""Staff act as network admins only in a session that used the second factor: signed in by
emailed code alone, a staff account is an ordinary one."""

from __future__ import annotations

import datetime as dt

from allauth.mfa.totp.internal.auth import TOTP
from django.test import override_settings

from alongside.accounts.tests.test_security_sign_in import CodeTestCase, totp_now
from alongside.test import make_proposal

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"  # noqa: S105 - a test's authenticator


@override_settings(STAFF_SECOND_FACTOR_REQUIRED=True)
class StaffPowersTestCase(CodeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dudley_session = cls.make_session(days=7, surgery=cls.other_surgery)
        cls.proposal = make_proposal("Halesowen Social Media Surgery", "halesowen", cls.proposer)

    def organiser_pages(self) -> list[str]:
        """Pages of a surgery the admin does not organise: names, emails and changes."""
        return [
            f"/sessions/{self.dudley_session.pk}/bookings/",
            f"/sessions/{self.dudley_session.pk}/edit/",
            "/surgeries/dudley/edit/",
            "/surgeries/dudley/help.csv",
        ]

    def sign_in_by_code(self) -> None:
        code = self.request_code("nadia@example.org")
        r = self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertEqual(r.status_code, 302)

    def assert_no_staff_powers(self) -> None:
        for url in self.organiser_pages():
            with self.subTest(url=url):
                self.assertIn(self.client.get(url).status_code, (403, 404))
        # A proposed surgery is not shown to them yet.
        self.assertEqual(self.client.get("/surgeries/halesowen/").status_code, 404)
        self.assertNotContains(self.client.get("/organise/"), "The network")

    def assert_staff_powers(self) -> None:
        for url in self.organiser_pages():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.get("/surgeries/halesowen/").status_code, 200)
        self.assertContains(self.client.get("/organise/"), "The network")
        self.assertEqual(self.client.get("/network/proposals/").status_code, 200)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_staff_signed_in_by_code_alone_have_no_staff_powers(self):
        self.sign_in_by_code()
        self.assertTrue(self.signed_in())
        self.assert_no_staff_powers()
        # The network and admin pages send them to set up a second factor.
        for url in ["/network/proposals/", "/admin/"]:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertRedirects(
                    r, "/accounts/2fa/totp/activate/", fetch_redirect_response=False
                )

    def test_having_an_authenticator_is_not_enough_without_using_it(self):
        self.sign_in_by_code()
        TOTP.activate(self.admin, SECRET)
        self.assert_no_staff_powers()
        r = self.client.get("/network/proposals/")
        self.assertRedirects(
            r,
            "/accounts/2fa/reauthenticate/?next=%2Fnetwork%2Fproposals%2F",
            fetch_redirect_response=False,
        )
        r = self.client.post("/accounts/2fa/reauthenticate/", {"code": "000000"})
        self.assert_no_staff_powers()

        r = self.client.post(
            "/accounts/2fa/reauthenticate/",
            {"code": totp_now(SECRET), "next": "/network/proposals/"},
        )
        self.assertRedirects(r, "/network/proposals/", fetch_redirect_response=False)
        self.assert_staff_powers()

    def test_signing_in_with_the_code_and_the_authenticator_gives_staff_powers(self):
        TOTP.activate(self.admin, SECRET)
        self.sign_in_by_code()
        self.assertFalse(self.signed_in())
        r = self.client.post("/accounts/2fa/authenticate/", {"code": totp_now(SECRET)})
        self.assertEqual(r.status_code, 302)
        self.assert_staff_powers()

    def test_the_second_factor_counts_for_that_session_only(self):
        TOTP.activate(self.admin, SECRET)
        self.sign_in_by_code()
        self.client.post("/accounts/2fa/authenticate/", {"code": totp_now(SECRET)})
        self.assert_staff_powers()
        # Another browser, signed in as her some other way, has no record of it.
        self.client.cookies.clear()
        self.client.force_login(self.admin)
        self.clock.shift(dt.timedelta(seconds=1))
        self.assert_no_staff_powers()

    def test_a_staff_account_turned_off_has_no_powers_even_after_the_second_factor(self):
        TOTP.activate(self.admin, SECRET)
        self.sign_in_by_code()
        self.client.post("/accounts/2fa/authenticate/", {"code": totp_now(SECRET)})
        self.admin.is_staff = False
        self.admin.save(update_fields=["is_staff"])
        self.assert_no_staff_powers()
