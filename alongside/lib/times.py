"""Times as people in the UK write them: 10am, 6:30pm, 12 noon, 12 midnight.

Django's "g:i a" gives "10:00 a.m.", which reads as clerical and ends a sentence in two full
stops ("… at 8:00 a.m.."). One helper for every page, email, feed and poster; the template
filter `uk_time` is a builtin (settings.TEMPLATES), so no template needs to load it.

This library also stands in for Django's `date` filter, remembering what it wrote.
"""

from __future__ import annotations

import datetime as dt
import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.utils import timezone, translation
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


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None) -> str:
    """Django's `date` filter, remembering what it wrote in each language.

    A page writes the same few dates many times (forty sessions, each "Tue 8 Dec"), and
    Django works each one out afresh, month and day names included: 10 to 20 µs, a tenth of
    a coordinator's page. The time zone is part of what is remembered: the same moment is
    written by the clock of the zone it was turned into.
    """
    key = (type(value), value, getattr(value, "tzinfo", None), arg, translation.get_language())
    try:
        hash(key)
    except TypeError:  # not a date: Django says what it makes of it
        return defaultfilters.date(value, arg)
    return _date(key)


@functools.lru_cache(maxsize=4096)
def _date(key: tuple) -> str:
    # The kind, the zone and the language only tell apart what must be written differently.
    _kind, value, _zone, arg, _language = key
    return defaultfilters.date(value, arg)


@receiver(setting_changed)
def _forget_dates(setting: str, **kwargs) -> None:
    # Formats and the default time zone are settings; tests change them.
    if setting.startswith(("TIME_ZONE", "USE_TZ", "LANGUAGE", "FORMAT_MODULE")) or setting.endswith(
        "_FORMAT"
    ):
        _date.cache_clear()
