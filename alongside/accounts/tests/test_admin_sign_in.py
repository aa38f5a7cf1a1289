"""The Django admin has no password form: staff sign in by emailed code, then the second
factor, like everyone else; and `createsuperuser` makes such a person, with no password."""

from __future__ import annotations

from io import StringIO

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from alongside.accounts.tests.test_security_sign_in import CodeTestCase, totp_now

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"  # noqa: S105 - a test's authenticator
PASSWORD = "correct horse battery staple"  # noqa: S105 - a test's password


class AdminSignInTestCase(CodeTestCase):
    def test_the_admin_sign_in_page_sends_people_to_the_site_sign_in(self):
        r = self.client.get("/admin/login/?next=/admin/bookings/booking/")
        self.assertRedirects(
            r,
            "/accounts/login/?next=/admin/bookings/booking/",
            fetch_redirect_response=False,
        )
        r = self.client.get("/admin/")
        self.assertRedirects(r, "/admin/login/?next=/admin/", target_status_code=302)

    def test_a_correct_password_at_the_admin_does_not_sign_in(self):
        self.admin.set_password(PASSWORD)
        self.admin.is_superuser = True
        self.admin.save(update_fields=["password", "is_superuser"])
        r = self.client.post(
            "/admin/login/?next=/admin/",
            {"username": "nadia", "password": PASSWORD, "next": "/admin/"},
        )
        self.assertEqual(r.status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertFalse(self.signed_in())
        self.assertNotEqual(self.client.get("/admin/").status_code, 200)

    def test_someone_signed_in_who_is_not_staff_is_refused_not_sent_round(self):
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get("/admin/login/?next=/admin/").status_code, 403)
        r = self.client.get("/admin/", follow=True)
        self.assertEqual(r.status_code, 403)

    @override_settings(STAFF_SECOND_FACTOR_REQUIRED=True)
    def test_staff_reach_the_admin_by_code_and_second_factor(self):
        TOTP.activate(self.admin, SECRET)
        code = self.request_code("nadia@example.org")
        self.client.post("/accounts/login/code/confirm/", {"code": code})
        r = self.client.post("/accounts/2fa/authenticate/", {"code": totp_now(SECRET)})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.get("/admin/").status_code, 200)


class CreateSuperuserTestCase(CodeTestCase):
    def create(self, *args: str) -> str:
        out = StringIO()
        call_command("createsuperuser", *args, stdout=out)
        return out.getvalue()

    def test_it_makes_a_network_admin_with_no_password(self):
        out = self.create("--email", "kim@example.org", "--noinput")
        kim = User.objects.get(email="kim@example.org")
        self.assertTrue(kim.is_staff)
        self.assertTrue(kim.is_superuser)
        self.assertFalse(kim.has_usable_password())
        self.assertTrue(EmailAddress.objects.get(user=kim).verified)
        self.assertIn("code emailed to them", out)
        self.assertIn("second factor", out)

    @override_settings(STAFF_SECOND_FACTOR_REQUIRED=True)
    def test_they_sign_in_by_code_and_are_asked_to_set_up_a_second_factor(self):
        self.create("--email", "kim@example.org", "--noinput")
        code = self.request_code("kim@example.org")
        self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertTrue(self.signed_in())
        r = self.client.get("/admin/")
        self.assertRedirects(r, "/accounts/2fa/totp/activate/", fetch_redirect_response=False)

    def test_it_refuses_an_address_someone_already_signs_in_with(self):
        with self.assertRaises(CommandError):
            self.create("--email", "melissa@example.org", "--noinput")
        with self.assertRaises(CommandError):
            self.create("--noinput")
        with self.assertRaises(CommandError):
            self.create("--email", "not-an-address", "--noinput")
