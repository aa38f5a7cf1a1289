"""Escaping and addresses written for the longest lists are what Django's own write."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from alongside.lib.markup import address, escaped


class EscapedTestCase(SimpleTestCase):
    def test_it_escapes_as_conditional_escape_does(self):
        values = [
            "",
            "Plain",
            'O\'Brien & <Sons> "quoted"',
            mark_safe("<b>kept</b>"),
            gettext_lazy("Online"),
            gettext_lazy("Full: waiting list"),
            5,
            0.5,
            None,
            dt.date(2027, 3, 9),
        ]
        for language in ("en", "cy"):
            for value in values:
                with self.subTest(language=language, value=value), override(language):
                    written = escaped(value)
                    self.assertEqual(written, conditional_escape(value))
                    self.assertIsInstance(written, SafeString)


class AddressTestCase(SimpleTestCase):
    def tearDown(self):
        clear_script_prefix()

    def test_it_writes_what_reverse_writes(self):
        for name in ("session", "book", "proposal"):
            for pk in (1, 7, 10, 987, 2_000_000_001):
                with self.subTest(name=name, pk=pk):
                    self.assertEqual(address(name, pk), reverse(name, args=[pk]))

    def test_by_a_slug_too(self):
        for slug in ("stourbridge", "dy8-social_media-2", "a"):
            with self.subTest(slug=slug):
                self.assertEqual(address("surgery", slug), reverse("surgery", args=[slug]))
        # Not a slug: Django's own answer, quoted or refused.
        for not_a_key in ("café / bar", -3):
            with self.assertRaises(NoReverseMatch):
                address("surgery" if isinstance(not_a_key, str) else "session", not_a_key)
        self.assertEqual(address("session", 3), "/sessions/3/")  # ids and slugs kept apart

    def test_with_two_ids_each_in_its_place(self):
        for name in ("booking_edit", "booking_move", "booking_bounce_clear"):
            for keys in ((1, 2), (2, 1), (10, 10), (987, 5), (2_000_000_001, 3)):
                with self.subTest(name=name, keys=keys):
                    self.assertEqual(address(name, *keys), reverse(name, args=keys))
        with self.assertRaises(NoReverseMatch):
            address("booking_edit", 4)  # one key short
        with self.assertRaises(NoReverseMatch):
            address("booking_edit", 4, -1)

    def test_under_a_prefix_the_address_has_it(self):
        self.assertEqual(address("session", 4), "/sessions/4/")
        set_script_prefix("/alongside/")
        self.assertEqual(address("session", 4), "/alongside/sessions/4/")
        self.assertEqual(address("session", 4), reverse("session", args=[4]))
        clear_script_prefix()
        self.assertEqual(address("session", 4), "/sessions/4/")
