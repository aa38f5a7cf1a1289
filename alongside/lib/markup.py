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


# Ids and slugs no row has, looked for in the address reverse() writes for them: the n-th of
# an address's keys has the n-th. Django writes an integer's digits and a slug's letters,
# digits, hyphens and underscores as they are (no quoting), so the real ones go in the same
# places.
def _stand_in(kind: str, n: int) -> int | str:
    return 987_654_321_900 + n if kind == "id" else f"zq-stand-in-{n}-qz"


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def escaped(value: Any) -> SafeString:
    """`conditional_escape(value)`: the same, without `escape()`'s look for lazy text.

    Safe text (what has `__html__`) is left as it is."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(html.escape(str(value)))


def address(name: str, *keys: int | str) -> str:
    """`reverse(name, args=keys)` for a view of rows by their ids or slugs (a session's, a
    booking at it), remembered but for the ids and slugs."""
    kinds = []
    for key in keys:
        if type(key) is int and key >= 0:
            kinds.append("id")
        elif type(key) is str and _SLUG.fullmatch(key):
            kinds.append("slug")
        else:  # Django quotes it, or says it does not fit
            return reverse(name, args=list(keys))
    first, *after = _address(name, tuple(kinds), get_script_prefix(), get_urlconf())
    return first + "".join(f"{key}{part}" for key, part in zip(keys, after, strict=True))


# Room for every address a process writes: the templates alone name some two hundred (each
# `{% url %}`, lib/urltag.py), and one pushed out is worked out again, twice.
@functools.lru_cache(maxsize=1024)
def _address(name: str, kinds: tuple[str, ...], prefix: str, urlconf: str | None) -> list[str]:
    # The prefix and URLconf are those reverse() reads; they are part of what is remembered.
    stand_ins = [_stand_in(kind, n) for n, kind in enumerate(kinds)]
    written = reverse(name, args=stand_ins, urlconf=urlconf)
    parts = []
    for stand_in in map(str, stand_ins):
        before, found, written = written.partition(stand_in)
        if not found or stand_in in written:
            raise ValueError(f"{name}'s address does not hold each key once.")
        parts.append(before)
    return [*parts, written]
