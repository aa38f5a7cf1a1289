"""Each language's phrases looked up in one step translate exactly as Django's own lookup."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.utils.translation import trans_real

from alongside.lib import language

NUMBERS = (0, 1, 2, 3, 6, 11, 21, 100)


class QuickenTestCase(SimpleTestCase):
    def setUp(self):
        language.quicken()

    def test_every_phrase_translates_as_before(self):
        for code in (language.ENGLISH, language.WELSH):
            quick = trans_real.translation(code)
            plain = trans_real.DjangoTranslation(code)  # made afresh, as Django makes it
            keys = list(plain._catalog.keys())
            self.assertGreater(len(keys), 100)
            with self.subTest(code=code):
                for key in keys:
                    if isinstance(key, str):
                        context, _separator, message = key.rpartition("\x04")
                        self.assertEqual(quick.gettext(key), plain.gettext(key))
                        self.assertEqual(
                            quick.pgettext(context, message), plain.pgettext(context, message)
                        )
                    else:
                        message = key[0]
                        for n in NUMBERS:
                            self.assertEqual(
                                quick.ngettext(message, f"{message} (many)", n),
                                plain.ngettext(message, f"{message} (many)", n),
                            )

    def test_a_phrase_with_no_translation_is_itself(self):
        for code in (language.ENGLISH, language.WELSH):
            quick = trans_real.translation(code)
            with self.subTest(code=code):
                self.assertEqual(
                    quick.gettext("Nothing has this phrase"), "Nothing has this phrase"
                )
                self.assertEqual(quick.ngettext("a pear", "pears", 1), "a pear")
                self.assertEqual(quick.ngettext("a pear", "pears", 4), "pears")
        self.assertEqual(trans_real.translation(language.WELSH).gettext("Book a place"), "Cadw lle")

    def test_catalogs_with_nothing_in_them_are_left_out(self):
        chain = []
        following = trans_real.translation(language.WELSH)
        while following is not None:
            chain.append(following)
            following = following._fallback
        # Welsh, then English (the site's own language), and nothing after them.
        self.assertEqual(chain, [trans_real.translation(c) for c in ("cy", "en-gb")])
        self.assertIsInstance(chain[0]._catalog, language._OneLookup)

    def test_made_again_it_is_still_right(self):
        language.quicken()  # twice: nothing changes
        self.assertEqual(trans_real.translation(language.WELSH).gettext("Book a place"), "Cadw lle")
