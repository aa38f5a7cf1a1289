"""`check --deploy` refuses a secret key written in the source, or a short or simple one."""

from __future__ import annotations

import time

from django.core.checks import registry
from django.core.management.utils import get_random_secret_key
from django.test import SimpleTestCase, override_settings

from alongside import cli
from alongside.accounts import checks

# Written here on purpose: any key that appears in the code base is public.
KEY_IN_THE_SOURCE = "a-key-someone-once-pasted-into-the-code-0123456789-abcdef"
SPLIT_KEY_IN_THE_SOURCE = (
    "a-key-that-was-split-over-two-lines-in-the-code-because-it-was-far-too-long-for-one"
    "-0123456789-abcdefghijklmnopqrstuvwxyz"
)


def _ids(messages) -> list[str]:
    return [m.id for m in messages]


class SecretKeyCheckTestCase(SimpleTestCase):
    def test_a_generated_key_passes(self):
        with override_settings(SECRET_KEY=get_random_secret_key()):
            self.assertEqual(checks.secret_key_is_secret(), [])

    @override_settings(SECRET_KEY=KEY_IN_THE_SOURCE)
    def test_a_key_written_in_the_source_is_an_error(self):
        errors = checks.secret_key_is_secret()
        self.assertEqual(_ids(errors), ["alongside.E002"])
        self.assertIn("alongside/accounts/tests/test_secret_key_check.py", errors[0].msg)

    @override_settings(SECRET_KEY=cli.ACCESS_LOG_FORMAT)
    def test_any_long_literal_of_the_app_is_an_error(self):
        errors = checks.secret_key_is_secret()
        self.assertEqual(_ids(errors), ["alongside.E002"])
        self.assertIn("alongside/cli.py", errors[0].msg)

    @override_settings(SECRET_KEY=SPLIT_KEY_IN_THE_SOURCE)
    def test_a_key_split_over_adjacent_literals_is_found(self):
        self.assertEqual(_ids(checks.secret_key_is_secret()), ["alongside.E002"])

    def test_a_short_or_simple_key_is_an_error(self):
        for key in ["short-but-not-in-the-source-" + "7" * 5, "ab" * 40]:
            with self.subTest(key=key), override_settings(SECRET_KEY=key):
                self.assertEqual(_ids(checks.secret_key_is_secret()), ["alongside.E001"])

    @override_settings(SECRET_KEY=KEY_IN_THE_SOURCE)
    def test_it_runs_with_the_deployment_checks_only(self):
        deploy = registry.run_checks(tags=["security"], include_deployment_checks=True)
        self.assertIn("alongside.E002", _ids(deploy))
        self.assertNotIn("alongside.E002", _ids(registry.run_checks(tags=["security"])))

    def test_it_is_quick(self):
        with override_settings(SECRET_KEY=get_random_secret_key()):
            start = time.perf_counter()
            checks.secret_key_is_secret()
            self.assertLess(time.perf_counter() - start, 0.5)


class ProxyCheckTestCase(SimpleTestCase):
    @override_settings(
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), ALLAUTH_TRUSTED_PROXY_COUNT=0
    )
    def test_a_proxy_saying_https_with_no_proxy_count_is_warned_about(self):
        (warning,) = checks.check_proxy_count()
        self.assertEqual(warning.id, "alongside.W001")
        self.assertIn("TRUSTED_PROXY_COUNT", warning.msg)

    @override_settings(
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), ALLAUTH_TRUSTED_PROXY_COUNT=1
    )
    def test_a_counted_proxy_is_fine(self):
        self.assertEqual(checks.check_proxy_count(), [])
