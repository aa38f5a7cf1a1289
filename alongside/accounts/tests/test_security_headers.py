"""Security headers on ordinary pages and on the embeddable snippets, and production settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from django.test import override_settings

from alongside.test import BaseTestCase

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "alongside.example.org",
    "SITE_ROOT": "https://alongside.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


class HeadersTestCase(BaseTestCase):
    def test_an_ordinary_page_may_not_be_framed_and_runs_only_its_own_scripts(self):
        for url in ["/", f"/sessions/{self.session.pk}/book/", "/surgeries/", "/interest/"]:
            with self.subTest(url=url):
                r = self.client.get(url)
                policy = r.headers["Content-Security-Policy"]
                self.assertIn("frame-ancestors 'none'", policy)
                self.assertIn("object-src 'none'", policy)
                self.assertNotIn("unsafe-inline", policy)
                # A nonce is only sent when the page has a script that uses it.
                self.assertRegex(policy, r"script-src 'self'( 'nonce-[^']+')?;")
                found = re.search(r"'nonce-([^']+)'", policy)
                nonce = found.group(1) if found else None
                self.assertEqual(r.headers["X-Frame-Options"], "DENY")
                self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
                self.assertEqual(r.headers["Referrer-Policy"], "same-origin")
                html = r.content.decode()
                for tag in re.findall(r"<script\b[^>]*>", html):
                    executable = 'type="application/json"' not in tag
                    if executable:
                        self.assertTrue("src=" in tag or (nonce and f'nonce="{nonce}"' in tag), tag)
                self.assertNotRegex(html, r"<[^>]+\sstyle=")
                self.assertNotRegex(html, r"<[^>]+\son[a-z]+=")

    def test_the_embeddable_snippets_may_be_framed_by_any_site(self):
        for url in ["/surgeries/stourbridge/embed/", "/surgeries/stourbridge/figures/embed/"]:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200)
                self.assertNotIn("X-Frame-Options", r.headers)
                policy = r.headers["Content-Security-Policy"]
                self.assertIn("frame-ancestors *", policy)
                self.assertIn("default-src 'none'", policy)

    def test_cookies_are_out_of_reach_of_scripts(self):
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertTrue(r.cookies["csrftoken"]["httponly"])
        r = self.client.post("/accounts/login/", {"login": "melissa@example.org"})
        self.assertTrue(r.cookies["sessionid"]["httponly"])

    @override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
    def test_https_pages_tell_browsers_to_stay_on_https(self):
        r = self.client.get("/", secure=True)
        self.assertEqual(
            r.headers["Strict-Transport-Security"], "max-age=31536000; includeSubDomains"
        )


def _settings_under(env: dict, tmp_path) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', "
        "'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY', "
        "'ANTISPAM_MIN_SECONDS', 'ANTISPAM_RATE_LIMITS', 'STAFF_SECOND_FACTOR_REQUIRED', "
        "'SESSION_IDLE_TIMEOUT', 'STAFF_SESSION_IDLE_TIMEOUT']}))"
    )
    # Only the variables a real server has: none of the test run's relaxations.
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "VIRTUAL_ENV")}
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        env={**clean, **env, "DATA_DIR": str(tmp_path),
             "DJANGO_SETTINGS_MODULE": "alongside.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__)))),
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_strict(tmp_path):
    found = _settings_under(PRODUCTION, tmp_path)
    assert found["SECURE_HSTS_SECONDS"] >= 31536000
    # The preload list is opt-in: https alone does not put the site on it.
    assert not found["SECURE_HSTS_PRELOAD"]
    assert _settings_under({**PRODUCTION, "SECURE_HSTS_PRELOAD": "1"}, tmp_path)[
        "SECURE_HSTS_PRELOAD"
    ]
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"]
    assert found["SESSION_COOKIE_HTTPONLY"] and found["CSRF_COOKIE_HTTPONLY"]
    assert found["SECURE_SSL_REDIRECT"]
    assert found["X_FRAME_OPTIONS"] == "DENY"
    assert found["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert found["SECURE_REFERRER_POLICY"] == "same-origin"
    # Everything the test run relaxes is on for real.
    assert found["ANTISPAM_MIN_SECONDS"] >= 2 and found["ANTISPAM_RATE_LIMITS"]
    assert found["STAFF_SECOND_FACTOR_REQUIRED"]
    assert found["SESSION_IDLE_TIMEOUT"] == 12 * 3600
    assert found["STAFF_SESSION_IDLE_TIMEOUT"] == 2 * 3600


def test_a_local_http_server_does_not_ask_for_https(tmp_path):
    found = _settings_under({"DEBUG": "1"}, tmp_path)
    assert found["SECURE_HSTS_SECONDS"] == 0
    assert not found["SESSION_COOKIE_SECURE"]
    assert not found["SECURE_SSL_REDIRECT"]
