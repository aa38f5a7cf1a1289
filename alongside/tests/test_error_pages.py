"""Error pages are the site's own, friendly ones, with DEBUG off as the demo runs."""

from __future__ import annotations

from unittest import mock

from django.test import RequestFactory, TestCase, override_settings
from django.urls import get_resolver

from alongside.lib import errors


@override_settings(DEBUG=False)
class ErrorPagesTestCase(TestCase):
    def test_a_missing_page_shows_the_friendly_404_not_the_url_patterns(self):
        r = self.client.get("/no-such-page/at-all/")
        self.assertContains(r, "Page not found", status_code=404)
        self.assertNotContains(r, "Using the URLconf", status_code=404)
        self.assertContains(r, "Find a session", status_code=404)

    def test_the_site_answers_a_server_error_with_its_own_handler(self):
        self.assertIs(get_resolver().resolve_error_handler(500), errors.server_error)

    def test_the_500_page_is_drawn_in_the_layout(self):
        request = RequestFactory().get("/sessions/1/")
        r = errors.server_error(request)
        self.assertEqual(r.status_code, 500)
        page = r.content.decode()
        self.assertIn("Something went wrong", page)
        self.assertIn('class="site-header"', page)

    def test_the_500_page_is_plain_when_the_layout_fails_too(self):
        request = RequestFactory().get("/sessions/1/")
        with (
            mock.patch.object(errors, "render_to_string", side_effect=RuntimeError("db down")),
            self.assertLogs("alongside.lib.errors", "ERROR"),
        ):
            r = errors.server_error(request)
        self.assertEqual(r.status_code, 500)
        self.assertIn("Something went wrong", r.content.decode())
