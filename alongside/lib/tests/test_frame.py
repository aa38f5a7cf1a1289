"""The site's frame is rendered once per language and kind of visitor, and shows nothing of
one visitor to another."""

from __future__ import annotations

import re

from django.test import override_settings

from alongside.test import BaseTestCase


class FrameTestCase(BaseTestCase):
    def test_each_kind_of_visitor_gets_its_own_header(self):
        visitor = self.client.get("/privacy/")
        self.assertContains(visitor, "Organisers: sign in")
        self.assertNotContains(visitor, "Sign out")
        self.client.force_login(self.organiser)
        organiser = self.client.get("/privacy/")
        self.assertContains(organiser, "Sign out")
        self.assertContains(organiser, "Your account and details")
        self.assertNotContains(organiser, "Organisers: sign in")
        self.assertNotContains(organiser, 'href="/network/"')
        self.client.force_login(self.admin)
        self.assertContains(self.client.get("/privacy/"), 'href="/network/"')
        self.client.logout()
        self.assertContains(self.client.get("/privacy/"), "Organisers: sign in")

    def test_each_language_gets_its_own(self):
        english = self.client.get("/privacy/")
        self.client.cookies.load({"django_language": "cy"})
        welsh = self.client.get("/privacy/")
        self.assertContains(english, 'aria-current="true" lang="en-GB"')
        self.assertContains(welsh, 'aria-current="true" lang="cy"')
        self.assertNotEqual(_header(english), _header(welsh))

    def test_the_sign_out_forms_token_is_each_persons_own(self):
        tokens = []
        for user in (self.organiser, self.other_organiser):
            self.client.force_login(user)
            header = _header(self.client.get("/privacy/"))
            tokens += re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', header)
            self.client.logout()
        self.assertEqual(len(tokens), 2)
        self.assertNotEqual(tokens[0], tokens[1])

    def test_a_changed_setting_shows_at_once(self):
        self.client.get("/privacy/")
        with override_settings(
            SITE_NAME="Sandwell Web Surgeries", SOURCE_URL="https://example.org/src"
        ):
            r = self.client.get("/privacy/")
        self.assertContains(r, 'class="brand" href="/">Sandwell Web Surgeries</a>', html=False)
        self.assertContains(r, 'href="https://example.org/src"')

    def test_the_sign_in_link_speaks_the_page_s_language(self):
        self.assertContains(self.client.get("/privacy/"), "Organisers: sign in")
        self.client.cookies.load({"django_language": "cy"})
        welsh = self.client.get("/privacy/")
        self.assertNotContains(welsh, "Organisers: sign in")
        self.assertContains(welsh, 'href="/accounts/login/"')

    def test_the_stylesheet_and_icon_follow_the_static_address(self):
        self.assertContains(self.client.get("/privacy/"), 'href="/static/css/alongside.css"')
        with override_settings(STATIC_URL="/assets/"):
            r = self.client.get("/privacy/")
        self.assertContains(r, 'href="/assets/css/alongside.css"')
        self.assertContains(r, 'href="/assets/favicon.svg"')


def _header(response) -> str:
    html = response.content.decode()
    return html[html.index("<body>") : html.index('<main id="main"')]
