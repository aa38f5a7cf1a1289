"""Times as people in the UK write them: 10am, 6:30pm, 12 noon, 12 midnight.

Django's "g:i a" gives "10:00 a.m.", which reads as clerical and ends a sentence in two full
stops ("… at 8:00 a.m.."). One helper for every page, email, feed and poster; the template
filter `uk_time` is a builtin (settings.TEMPLATES), so no template needs to load it.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def uk_time(value: dt.time | dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).time()
    hour, minute = value.hour, value.minute
    if minute == 0 and hour == 12:
        return _("12 noon")
    if minute == 0 and hour == 0:
        return _("12 midnight")
    suffix = "am" if hour < 12 else "pm"
    twelve = hour % 12 or 12
    return f"{twelve}{suffix}" if minute == 0 else f"{twelve}:{minute:02d}{suffix}"


def uk_time_range(start: dt.time, end: dt.time) -> str:
    return _("%(start)s to %(end)s") % {"start": uk_time(start), "end": uk_time(end)}
