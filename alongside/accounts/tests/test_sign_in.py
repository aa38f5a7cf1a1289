"""Organisers sign in with a code sent by email; nobody needs a password."""

from __future__ import annotations

import re

from django.core import mail

from alongside.test import BaseTestCase


class SignInByCodeTestCase(BaseTestCase):
    def test_an_organiser_signs_in_with_an_emailed_code(self):
        r = self.client.post("/accounts/login/", {"login": "melissa@example.org"})
        self.assertRedirects(r, "/accounts/login/code/confirm/", fetch_redirect_response=False)
        self.assertEqual(mail.outbox[0].subject, "Your sign-in code for Alongside")
        code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.M).group(1)
        r = self.client.post("/accounts/login/code/confirm/", {"code": code})
        self.assertRedirects(r, "/organise/")
        r = self.client.get("/organise/")
        self.assertContains(r, "Stourbridge Social Media Surgery")

    def test_the_sign_in_pages_and_messages_are_in_plain_words(self):
        r = self.client.get("/accounts/login/")
        self.assertContains(r, "<h1>Sign in</h1>", html=True)
        self.assertContains(r, "Keep me signed in on this device")
        for stock in ["Sign In", "Remember Me", "Request Code", "sign up</a> first"]:
            self.assertNotContains(r, stock)
        r = self.client.get("/accounts/signup/")
        self.assertContains(r, "<h1>Make an account</h1>", html=True)
        self.assertNotContains(r, "Sign Up")
        r = self.client.post("/accounts/login/", {"login": "melissa@example.org"}, follow=True)
        self.assertContains(r, "Check your email")
        self.assertContains(r, "We have emailed a code to melissa@example.org.")
        self.assertNotContains(r, "Enter Sign-In Code")
        code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.M).group(1)
        r = self.client.post("/accounts/login/code/confirm/", {"code": code}, follow=True)
        self.assertContains(r, "You&#x27;re signed in.")
        self.assertNotContains(r, "Successfully signed in")

    def test_signing_in_with_an_address_that_has_no_account_says_so_plainly(self):
        self.client.post("/accounts/login/", {"login": "newcomer@example.org"})
        [email] = mail.outbox
        self.assertEqual(email.subject, "You don't have an account on Alongside yet")
        self.assertIn("There is no account with this address yet", email.body)
        self.assertIn("http://testserver/accounts/signup/", email.body)

    def test_a_wrong_code_does_not_sign_in(self):
        self.client.post("/accounts/login/code/", {"email": "melissa@example.org"})
        r = self.client.post("/accounts/login/code/confirm/", {"code": "WRONG1"})
        self.assertEqual(r.status_code, 200)
        r = self.client.get("/organise/")
        self.assertRedirects(r, "/accounts/login/?next=/organise/", fetch_redirect_response=False)

    def test_a_new_organiser_signs_up_with_just_an_email_and_a_code(self):
        r = self.client.post("/accounts/signup/", {"email": "beth@example.org"})
        self.assertEqual(r.status_code, 302)
        code = re.search(r"^([A-Z0-9]{4,8}(-[A-Z0-9]{4})?)$", mail.outbox[0].body, re.M).group(1)
        r = self.client.post(r.url, {"code": code})
        self.assertRedirects(r, "/organise/")
        self.assertContains(self.client.get("/organise/"), "You do not organise a surgery yet.")

    def test_the_sign_in_page_uses_the_site_layout(self):
        r = self.client.get("/accounts/login/")
        self.assertContains(r, "Skip to main content")
        self.assertContains(r, 'href="/accounts/signup/"')
        self.assertNotContains(r, 'type="password"')
        self.assertContains(r, 'lang="en-GB"')
