"""Which language a page or an email speaks: English (UK) or Welsh.

A visitor chooses with the switcher in the footer, which keeps their choice in the language
cookie. Until they choose, a surgery's own pages speak the surgery's language; a surgery
offering both speaks what the visitor's browser asks for, or English.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import trans_real

ENGLISH, WELSH = "en-gb", "cy"
# What a surgery may offer (Surgery.languages).
BOTH = "both"


def supported() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def tag(code: str) -> str:
    """The code as HTML's lang attribute writes it: en-GB, cy."""
    language, _dash, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def choices() -> list[tuple[str, str, str]]:
    """(code, lang tag, name) for the switcher: each language named in itself, never
    translated ("Cymraeg" on an English page, "English" on a Welsh one)."""
    return [(code, tag(code), name) for code, name in settings.LANGUAGES]


def current() -> str:
    """The active language, as one of LANGUAGES: what a booking records to email in."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return code if code in supported() else settings.LANGUAGE_CODE


def of(offered: str) -> str:
    """A surgery's language, or the site's for a surgery offering both."""
    return offered if offered in supported() else settings.LANGUAGE_CODE


def chosen(request: HttpRequest) -> str:
    """The language the visitor chose with the switcher, or "" if they have not chosen."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in supported() else ""


def speak(request: HttpRequest, offered: str) -> None:
    """Speak a surgery's language on its pages, unless the visitor chose one already."""
    if chosen(request) or offered not in supported():
        return
    translation.activate(offered)
    request.LANGUAGE_CODE = offered


class _OneLookup(trans_real.TranslationCatalog):
    """Django's catalog of a language's translations, with one dictionary in front of it.

    Django keeps the catalogs of apps whose plural rules differ apart, and looks through
    them in turn (six for English here, raising KeyError in each). A plural is still looked
    up in each in turn, as its number is turned into a form by each one's own rule.
    """

    def __init__(self, catalog: Any) -> None:
        self._catalogs = catalog._catalogs
        self._plurals = catalog._plurals
        self._gather()

    def _gather(self) -> None:
        self._front: dict = {}
        for catalog in reversed(self._catalogs):  # the first catalog's translation wins
            self._front.update(catalog)

    def __getitem__(self, key):
        return self._front[key]

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)  # into the first catalog, whose translation wins
        self._front[key] = value

    def __contains__(self, key) -> bool:
        return key in self._front

    def get(self, key, default=None):
        return self._front.get(key, default)

    def update(self, trans) -> None:
        super().update(trans)
        self._gather()


def quicken() -> None:
    """Look up each language's translations in one step.

    A page looks up a hundred or more phrases, and most of English's are not in its catalog
    (the English is the phrase itself). To find that out, Django looked through six
    catalogs, then Python's gettext through the empty English catalog of each of five of
    Django's own apps: 3.2 µs a phrase, against 0.4 µs for one found at once. Here each
    language's catalogs are one dictionary, and the empty catalogs are left out of the
    chain: what every phrase translates to is unchanged (lib/tests/test_language.py).
    """
    for code, _name in settings.LANGUAGES:
        _quicken(trans_real.translation(code))


def _quicken(translations: Any) -> None:
    """`translations`: a DjangoTranslation, one of Python's GNUTranslations."""
    if type(translations._catalog) is trans_real.TranslationCatalog:
        translations._catalog = _OneLookup(translations._catalog)
    # Python's gettext asks the next in the chain for whatever one lacks.
    kept = translations
    following = translations._fallback
    while following is not None:
        catalog = getattr(following, "_catalog", None)
        if isinstance(catalog, dict) and set(catalog) <= {""}:  # nothing but its header
            kept._fallback = following._fallback
        else:
            kept = following
        following = following._fallback
