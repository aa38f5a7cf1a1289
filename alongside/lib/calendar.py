"""iCalendar (RFC 5545) files, built from plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

# Calendar apps that subscribe to a feed poll it at their own pace; this asks them to look
# again a few times a day, so a cancelled event drops out before people set off.
REFRESH = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Entry:
    """One event, as a calendar shows it."""

    uid: str
    created: dt.datetime
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str
    description: str
    url: str
    cancelled: bool
    # Raised by each significant change, so clients replace their copy.
    sequence: int
    geo: tuple[float, float] | None = None


def _event(entry: Entry, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("created", entry.created)
    event.add("dtstart", entry.start)
    event.add("dtend", entry.end)
    event.add("summary", entry.summary)
    event.add("location", entry.location)
    event.add("description", entry.description)
    event.add("url", entry.url)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("sequence", entry.sequence)
    if entry.geo is not None:
        event.add("geo", entry.geo)
    return event


def calendar(entries: Iterable[Entry], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Social media surgeries//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.calendar_name = name
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    stamp = timezone.now()
    dates = []
    for entry in entries:
        cal.add_component(_event(entry, stamp))
        dates.append(timezone.localtime(entry.start).date())
    if dates:
        # A VTIMEZONE for each zone the events are in (Europe/London, America/Toronto), so
        # clients show the local time the event is at; covering only the events' years
        # keeps it short.
        year = dt.timedelta(days=366)
        cal.add_missing_timezones(first_date=min(dates) - year, last_date=max(dates) + year)
    return _to_ical(cal)


# RFC 5545 folds a line of 75 octets or more; icalendar folds one that reaches 75.
FOLD_AT = 75


def _to_ical(cal: Calendar) -> bytes:
    """`cal.to_ical()`, byte for byte, with short lines left as they are and long lines of
    plain ASCII folded in slices.

    icalendar folds every line a character at a time, the nine in ten too short to fold
    as well. A long line with other characters is folded by icalendar, as one character
    can be several octets.
    """
    lines = []
    for line in cal.content_lines():
        if not line:
            continue
        data = line.encode()
        if len(data) < FOLD_AT:
            lines.append(data)
        elif line.isascii():
            lines.append(_fold(line).encode())
        else:
            lines.append(line.to_ical())
    return b"\r\n".join(lines) + b"\r\n"


def _fold(line: str) -> str:
    """Fold an ASCII line as icalendar does: after each 74 characters, or after 73 when the
    74th is a backslash or a caret, so that an escape is never split across two lines."""
    width = FOLD_AT - 1
    if len(line) <= width:
        return line
    parts = []
    start = 0
    while len(line) - start > width:
        end = start + width
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)
