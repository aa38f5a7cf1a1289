"""The quicker language and CSP middleware give what Django's own give, and the session
time-out leaves visitors without a session alone."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.utils import translation
from django.utils.csp import CSP

from alongside.lib.middleware import (
    CachedPolicyMiddleware,
    LanguageMiddleware,
    SessionTimeoutMiddleware,
)

ASKED = [
    (None, ""),
    (None, "cy"),
    (None, "cy-GB,cy;q=0.9,en;q=0.8"),
    (None, "en-US,en;q=0.9"),
    (None, "fr-FR,fr;q=0.9"),
    (None, "*"),
    (None, "not a header;;q=x"),
    ("cy", "en-GB"),
    ("en-gb", "cy"),
    ("xx", "cy"),
    ("", "cy"),
]


def _page(request):
    return HttpResponse("page")


class LanguageTests(SimpleTestCase):
    def _language(self, middleware_class, cookie, accept):
        request = RequestFactory().get("/surgeries/", HTTP_ACCEPT_LANGUAGE=accept)
        if cookie is not None:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
        with translation.override(None):
            response = middleware_class(_page)(request)
            return request.LANGUAGE_CODE, response["Content-Language"], response["Vary"]

    def test_the_same_language_and_headers_as_djangos_middleware(self):
        for cookie, accept in ASKED:
            with self.subTest(cookie=cookie, accept=accept):
                self.assertEqual(
                    self._language(LanguageMiddleware, cookie, accept),
                    self._language(LocaleMiddleware, cookie, accept),
                )

    def test_a_change_of_languages_is_not_answered_from_memory(self):
        self.assertEqual(self._language(LanguageMiddleware, None, "cy")[0], "cy")
        with override_settings(LANGUAGES=[("en-gb", "English")]):
            self.assertEqual(self._language(LanguageMiddleware, None, "cy")[0], "en-gb")
        self.assertEqual(self._language(LanguageMiddleware, None, "cy")[0], "cy")


class PolicyTests(SimpleTestCase):
    def _headers(self, middleware_class, view=_page):
        middleware = middleware_class(view)
        return middleware(RequestFactory().get("/")).headers

    def test_a_page_without_a_nonce_gets_djangos_policy(self):
        for config in [settings.SECURE_CSP, {"default-src": [CSP.SELF, CSP.NONCE]}]:
            with self.subTest(config=config), override_settings(SECURE_CSP=config):
                ours = self._headers(CachedPolicyMiddleware)
                self.assertEqual(ours, self._headers(ContentSecurityPolicyMiddleware))
                self.assertNotIn("nonce", ours["Content-Security-Policy"])
        with override_settings(SECURE_CSP={}):
            self.assertNotIn("Content-Security-Policy", self._headers(CachedPolicyMiddleware))

    def test_a_page_using_the_nonce_gets_its_own(self):
        def scripted(request):
            return HttpResponse(f"<script nonce='{request._csp_nonce}'></script>")

        first = self._headers(CachedPolicyMiddleware, scripted)["Content-Security-Policy"]
        second = self._headers(CachedPolicyMiddleware, scripted)["Content-Security-Policy"]
        self.assertIn("'nonce-", first)
        self.assertNotEqual(first, second)


class SessionTimeoutTests(SimpleTestCase):
    def test_a_visitor_without_a_session_is_not_looked_up(self):
        request = RequestFactory().get("/")
        SessionMiddleware(_page).process_request(request)
        AuthenticationMiddleware(_page).process_request(request)
        SessionTimeoutMiddleware(_page)(request)
        self.assertFalse(request.session.accessed)
        self.assertFalse(hasattr(request, "_cached_user"))
