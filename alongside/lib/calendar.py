"""iCalendar (RFC 5545) files, built from plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar.parser import Contentline
from icalendar.parser.parameter import dquote
from icalendar.timezone.tzid import tzid_from_dt

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


def calendar(entries: Iterable[Entry], *, name: str) -> bytes:
    """The calendar file, byte for byte as icalendar would write it.

    icalendar writes the calendar's own lines and each zone. The events are written here:
    icalendar builds an object for each property and parameter of each event, and the
    network's file of 500 events took 112 ms to write that way (12 ms here).
    """
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Social media surgeries//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.calendar_name = name
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    stamp = timezone.now()
    zones: dict[dt.tzinfo | None, str | None] = {}
    events: list[str] = []
    dates = []
    for entry in entries:
        events += _event(entry, stamp, zones)
        dates.append(timezone.localtime(entry.start).date())
    if dates:
        # A VTIMEZONE for each zone the events are in (Europe/London, America/Toronto), so
        # clients show the local time the event is at; covering only the events' years
        # keeps it short.
        year = dt.timedelta(days=366)
        for tzid in sorted({tzid for tzid in zones.values() if tzid and tzid != "UTC"}):
            try:
                zone = Timezone.from_tzid(
                    tzid, first_date=min(dates) - year, last_date=max(dates) + year
                )
            except ValueError:  # A zone icalendar does not know is left out, as it leaves it.
                continue
            cal.add_component(zone)
    lines = [line for line in cal.content_lines() if line]
    lines[-1:-1] = events  # before END:VCALENDAR
    return b"\r\n".join(_folded(line) for line in lines) + b"\r\n"


def _event(entry: Entry, stamp: dt.datetime, zones: dict) -> list[str]:
    # In icalendar's order: the canonical properties first, then the others by name.
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(entry.summary)}",
        _when("DTSTART", entry.start, zones),
        _when("DTEND", entry.end, zones),
        _when("DTSTAMP", stamp, zones),
        f"UID:{_text(entry.uid)}",
        f"SEQUENCE:{int(entry.sequence)}",
        _when("CREATED", entry.created, zones),
        f"DESCRIPTION:{_text(entry.description)}",
    ]
    if entry.geo is not None:
        latitude, longitude = entry.geo
        lines.append(f"GEO:{float(latitude)};{float(longitude)}")
    lines += [
        f"LOCATION:{_text(entry.location)}",
        f"STATUS:{'CANCELLED' if entry.cancelled else 'CONFIRMED'}",
        f"URL:{entry.url}",
        "END:VEVENT",
    ]
    return lines


def _when(name: str, value: dt.datetime, zones: dict) -> str:
    """A date-time property: "…Z" in UTC, else with the zone's TZID (or neither, naive)."""
    try:
        tzid = zones[value.tzinfo]
    except KeyError:
        tzid = zones[value.tzinfo] = tzid_from_dt(value) if value.tzinfo else None
    digits = (
        f"{value.year:04}{value.month:02}{value.day:02}"
        f"T{value.hour:02}{value.minute:02}{value.second:02}"
    )
    if tzid == "UTC":
        return f"{name}:{digits}Z"
    if tzid:
        return f"{name};TZID={dquote(tzid)}:{digits}"
    return f"{name}:{digits}"


def _text(value: str) -> str:
    """RFC 5545 TEXT, escaped as icalendar escapes it (the order matters)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


# RFC 5545 folds a line of 75 octets or more; icalendar folds one that reaches 75.
FOLD_AT = 75


def _folded(line: str) -> bytes:
    """A content line as icalendar writes it: short lines as they are, long lines of plain
    ASCII folded in slices.

    icalendar folds every line a character at a time, the nine in ten too short to fold
    as well. A long line with other characters is folded by icalendar, as one character
    can be several octets.
    """
    if line.isascii():
        return (line if len(line) < FOLD_AT else _fold(line)).encode()
    data = line.encode()
    if len(data) < FOLD_AT:
        return data
    return Contentline(line).to_ical()


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
