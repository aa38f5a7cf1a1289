"""iCalendar (RFC 5545) files for sessions: downloads, subscriptions and email attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

if TYPE_CHECKING:
    from alongside.surgeries.models import Session

# Calendar apps that subscribe to a feed poll it at their own pace; this asks them to look
# again a few times a day, so a cancelled session drops out before people set off.
REFRESH = dt.timedelta(hours=6)


def _host() -> str:
    return urlsplit(settings.SITE_ROOT).hostname or "localhost"


def session_uid(session: Session) -> str:
    # Stable for the life of the session, so a calendar updates the event instead of
    # adding a second one when the session moves or is cancelled.
    return f"session-{session.pk}@{_host()}"


def session_location(session: Session) -> str:
    if session.venue:
        parts = [session.venue.name, session.venue.address, session.venue.postcode]
        location = ", ".join(p for p in parts if p)
        if session.online_url:
            location = _("%(place)s, or online") % {"place": location}
        return location
    if session.online_url:
        return _("Online")
    return session.surgery.place_name


def session_description(session: Session) -> str:
    url = settings.SITE_ROOT + session.get_absolute_url()
    lines = []
    if session.is_cancelled:
        lines += [_("This session is cancelled."), ""]
    lines += [session.surgery.description.strip(), ""]
    lines.append(_("Who it is for: %(who)s") % {"who": session.surgery.who_for.strip()})
    if session.notes:
        lines += ["", session.notes.strip()]
    if session.venue and session.venue.access_notes:
        lines += ["", _("Access: %(notes)s") % {"notes": session.venue.access_notes.strip()}]
    if session.online_url:
        # The joining link is only for people who have booked: it is in their email.
        lines += ["", _("The joining link is in your confirmation email.")]
    lines += ["", _("Book a place or offer to help: %(url)s") % {"url": url}]
    return "\n".join(lines)


def _event(session: Session, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp)
    event.add("created", session.created_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.surgery.name)
    event.add("location", session_location(session))
    event.add("description", session_description(session))
    event.add("url", settings.SITE_ROOT + session.get_absolute_url())
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    # Clients keep the copy with the higher SEQUENCE, so each significant change to a
    # published event (a new time or place, then a cancellation) must raise it.
    event.add("sequence", int(session.moved_at is not None) + int(session.is_cancelled))
    venue = session.venue
    if venue and venue.latitude is not None and venue.longitude is not None:
        event.add("geo", (venue.latitude, venue.longitude))
    return event


def sessions_calendar(sessions: Iterable[Session], *, name: str) -> bytes:
    """A calendar of sessions. Select their surgery and venue, or it costs a query each."""
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
    for session in sessions:
        cal.add_component(_event(session, stamp))
        dates.append(session.date)
    if dates:
        # A VTIMEZONE for Europe/London, so clients show the local time the surgery meets
        # at; covering only the sessions' years keeps it short.
        year = dt.timedelta(days=366)
        cal.add_missing_timezones(first_date=min(dates) - year, last_date=max(dates) + year)
    return cal.to_ical()


def session_calendar(session: Session) -> bytes:
    name = f"{session.surgery.name}, {dateformat.format(session.date, 'j F Y')}"
    return sessions_calendar([session], name=name)
