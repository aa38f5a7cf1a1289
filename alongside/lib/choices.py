"""A choice's label, translating only that one.

Django's `get_FOO_display()` makes a dictionary of every choice on each call, which
translates every label to find one: twelve kinds of group for each group on a page of who is
coming, a tenth of that page. Models whose choices are shown on busy pages define their
`get_FOO_display()` with this; Django leaves a method already defined alone.
"""

from __future__ import annotations

from django.db import models


def choice_label(choices: type[models.Choices], value: object) -> str:
    """The label of `value` among `choices`, or the value itself if it is not one of them,
    as Django's get_FOO_display() does (but "" for None, where Django gives None)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return "" if value is None else str(value)
