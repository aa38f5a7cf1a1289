"""Markup written in Python for the longest lists: escaping, and addresses by id.

A list of a hundred sessions written in Python (surgeries/templatetags/cards.py) spent a
third of its time in two of Django's functions, each called for every line: `escape()`,
which first looks through its arguments for lazy text, and `reverse()`, which works out the
same address again with only the id or slug changed.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString

# An id and a slug no row has, looked for in the address reverse() writes for them. Django
# writes an integer's digits and a slug's letters, digits, hyphens and underscores as they
# are (no quoting), so the real ones go in the same place.
_STAND_INS: dict[str, int | str] = {"id": 987_654_321_987, "slug": "zq-stand-in-qz"}
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def escaped(value: Any) -> SafeString:
    """`conditional_escape(value)`: the same, without `escape()`'s look for lazy text.

    Safe text (what has `__html__`) is left as it is."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(html.escape(str(value)))


def address(name: str, key: int | str) -> str:
    """`reverse(name, args=[key])` for a view of one row by its id or slug, remembered but
    for the id or slug."""
    if type(key) is int and key >= 0:
        kind = "id"
    elif type(key) is str and _SLUG.fullmatch(key):
        kind = "slug"
    else:  # Django quotes it, or says it does not fit
        return reverse(name, args=[key])
    before, after = _address(name, kind, get_script_prefix(), get_urlconf())
    return f"{before}{key}{after}"


@functools.lru_cache(maxsize=64)
def _address(name: str, kind: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    # The prefix and URLconf are those reverse() reads; they are part of what is remembered.
    stand_in = str(_STAND_INS[kind])
    written = reverse(name, args=[_STAND_INS[kind]], urlconf=urlconf)
    before, found, after = written.partition(stand_in)
    if not found or stand_in in after:
        raise ValueError(f"{name}'s address does not hold its key once.")
    return before, after
