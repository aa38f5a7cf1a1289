"""Markup written in Python for the longest lists: escaping, and addresses by id.

A list of a hundred sessions written in Python (surgeries/templatetags/cards.py) spent a
third of its time in two of Django's functions, each called for every line: `escape()`,
which first looks through its arguments for lazy text, and `reverse()`, which works out the
same address again with only the id changed.
"""

from __future__ import annotations

import functools
import html
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString

# An id no row has, looked for in the address reverse() writes for it. Django writes an
# integer's digits as they are (no quoting), so the id's digits go in the same place.
_STAND_IN = 987_654_321_987


def escaped(value: Any) -> SafeString:
    """`conditional_escape(value)`: the same, without `escape()`'s look for lazy text.

    Safe text (what has `__html__`) is left as it is."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(html.escape(str(value)))


def address(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a view of one row by its id, remembered but for the id."""
    before, after = _address(name, get_script_prefix(), get_urlconf())
    return f"{before}{int(pk)}{after}"


@functools.lru_cache(maxsize=64)
def _address(name: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    # The prefix and URLconf are those reverse() reads; they are part of what is remembered.
    written = reverse(name, args=[_STAND_IN], urlconf=urlconf)
    before, stand_in, after = written.partition(str(_STAND_IN))
    if not stand_in or str(_STAND_IN) in after:
        raise ValueError(f"{name}'s address does not hold its id once.")
    return before, after
