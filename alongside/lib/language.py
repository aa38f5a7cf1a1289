"""Which language a page or an email speaks: English (UK) or Welsh.

A visitor chooses with the switcher in the footer, which keeps their choice in the language
cookie. Until they choose, a surgery's own pages speak the surgery's language; a surgery
offering both speaks what the visitor's browser asks for, or English.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

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
