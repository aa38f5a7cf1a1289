"""This site's own address, for links that leave it: emails, feeds, calendars, posters."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute(path: str) -> str:
    """A path on this site as a full address ("/sessions/4/" -> "https://…/sessions/4/")."""
    return f"{settings.SITE_ROOT}{path}"


def host() -> str:
    return urlsplit(settings.SITE_ROOT).hostname or "localhost"
