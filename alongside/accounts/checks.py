"""`check --deploy` refuses a secret key anyone could know.

Django's own check (security.W009) only warns about a short key. A key that is written
anywhere in the code base is public however long it is: whoever reads the source can sign
booking links, session cookies and password-free sign-in as anyone. Both are errors here,
so `check --deploy --fail-level ERROR` stops a deployment.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

PACKAGE = Path(__file__).resolve().parent.parent
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def _string_constants(source: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _could_hold(text: str, key: str) -> bool:
    # Reading every file is quick; parsing all of them takes a good part of a second. A
    # literal equal to the key shows in the file as it is unless it needs escapes or is
    # split into adjacent literals, and one split leaves one half of the key whole.
    if any(c in key for c in "\\'\"") or not key.isascii():
        return True
    half = len(key) // 2
    return key[:half] in text or key[half:] in text


def literal_in(paths: Iterable[Path], key: str) -> Path | None:
    """The first file among `paths` with a string literal equal to `key`, or None."""
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if _could_hold(text, key) and key in _string_constants(text):
            return path
    return None


@register(Tags.security, deploy=True)
def secret_key_is_secret(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    key = settings.SECRET_KEY
    if not isinstance(key, str) or not key:
        return []  # Django refuses to start without one
    errors: list[CheckMessage] = []
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        errors.append(
            Error(
                f"SECRET_KEY is too short or too simple to be secret: it needs at least "
                f"{MIN_LENGTH} characters and {MIN_UNIQUE_CHARACTERS} different ones.",
                hint="Unset SECRET_KEY to have a random one made in DATA_DIR/secret_key.",
                id="alongside.E001",
            )
        )
    if found := literal_in(sorted(PACKAGE.rglob("*.py")), key):
        errors.append(
            Error(
                f"SECRET_KEY is written in the source ({found.relative_to(PACKAGE.parent)}), "
                "so anyone can sign links and cookies with it.",
                hint="Unset SECRET_KEY to have a random one made in DATA_DIR/secret_key.",
                id="alongside.E002",
            )
        )
    return errors


@register(Tags.security)
def check_proxy_count(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Behind a proxy that says https, the proxy is also every visitor's address."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not getattr(
        settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0
    ):
        return [
            Warning(
                "USE_X_FORWARDED_PROTO is on but TRUSTED_PROXY_COUNT is 0: every visitor "
                "counts as the proxy's address, so the rate limits turn people away together.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that add to "
                "X-Forwarded-For (1 for one load balancer).",
                id="alongside.W001",
            )
        ]
    return []
