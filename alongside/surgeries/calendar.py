"""Sessions as calendar entries: downloads, subscriptions and email attachments."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import dateformat
from django.utils.translation import gettext as _

from alongside.lib import site
from alongside.lib.calendar import Entry, calendar
from alongside.surgeries.models import Session


def session_uid(session: Session) -> str:
    # Stable for the life of the session, so a calendar updates the event instead of
    # adding a second one when the session moves or is cancelled.
    return f"session-{session.pk}@{site.host()}"


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
    url = site.absolute(session.get_absolute_url())
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


def session_entry(session: Session) -> Entry:
    venue = session.venue
    geo = None
    if venue and venue.latitude is not None and venue.longitude is not None:
        geo = (venue.latitude, venue.longitude)
    return Entry(
        uid=session_uid(session),
        created=session.created_at,
        start=session.starts_at,
        end=session.ends_at,
        summary=session.surgery.name,
        location=session_location(session),
        description=session_description(session),
        url=site.absolute(session.get_absolute_url()),
        cancelled=session.is_cancelled,
        # Clients keep the copy with the higher SEQUENCE, so each significant change to a
        # published event (a new time or place, then a cancellation) must raise it.
        sequence=int(session.moved_at is not None) + int(session.is_cancelled),
        geo=geo,
    )


def sessions_calendar(sessions: Iterable[Session], *, name: str) -> bytes:
    """A calendar of sessions. Select their surgery and venue, or it costs a query each."""
    return calendar([session_entry(s) for s in sessions], name=name)


def session_calendar(session: Session) -> bytes:
    name = f"{session.surgery.name}, {dateformat.format(session.date, 'j F Y')}"
    return sessions_calendar([session], name=name)
