"""Sessions as calendar entries: downloads, subscriptions and email attachments."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import dateformat
from django.utils.translation import gettext as _

from alongside.lib import site
from alongside.lib.calendar import Entry, Event, calendar, calendar_of, event
from alongside.lib.markup import address
from alongside.lib.prepared import Prepared
from alongside.lib.written import Stored, Written, as_stored, turning
from alongside.surgeries import changelog
from alongside.surgeries.models import Session, Surgery, Venue

# What an entry reads: a session with its whole surgery and venue is seventy columns, and
# Django took a third of the network's file's time to build and fill them.
ENTRY_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "created_at",
    "cancelled_at",
    "moved_at",
    "notes",
    "online_url",
    "venue_id",
    "surgery__name",
    "surgery__slug",
    "surgery__description",
    "surgery__who_for",
    "surgery__place_name",
    "surgery__time_zone",
    "venue__name",
    "venue__address",
    "venue__postcode",
    "venue__access_notes",
    "venue__latitude",
    "venue__longitude",
)


def for_entries(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """These sessions with only what their entries read, in one query."""
    return sessions.select_related("surgery", "venue").only(*ENTRY_FIELDS)


@dataclass(frozen=True)
class _Shared:
    """What every entry of a calendar has in common, worked out once for all of them: the
    network's file of 500 sessions spent a fifth of its time translating the same phrases."""

    host: str
    root: str  # the site's address, which each entry's links begin with
    cancelled: str
    who_for: str
    access: str
    joining_link: str
    book: str
    or_online: str
    online: str


def _shared() -> _Shared:
    return _Shared(
        host=site.host(),
        root=settings.SITE_ROOT,
        cancelled=_("This session is cancelled."),
        who_for=_("Who it is for: %(who)s"),
        access=_("Access: %(notes)s"),
        # The joining link is only for people who have booked: it is in their email.
        joining_link=_("The joining link is in your confirmation email."),
        book=_("Book a place or offer to help: %(url)s"),
        or_online=_("%(place)s, or online"),
        online=_("Online"),
    )


def session_uid(session: Session, shared: _Shared) -> str:
    # Stable for the life of the session, so a calendar updates the event instead of
    # adding a second one when the session moves or is cancelled.
    return f"session-{session.pk}@{shared.host}"


def session_location(session: Session, shared: _Shared) -> str:
    if session.venue:
        parts = [session.venue.name, session.venue.address, session.venue.postcode]
        location = ", ".join(p for p in parts if p)
        if session.online_url:
            location = shared.or_online % {"place": location}
        return location
    if session.online_url:
        return shared.online
    return session.surgery.place_name


def session_description(session: Session, url: str, shared: _Shared) -> str:
    lines = []
    if session.is_cancelled:
        lines += [shared.cancelled, ""]
    lines += [session.surgery.description.strip(), ""]
    lines.append(shared.who_for % {"who": session.surgery.who_for.strip()})
    if session.notes:
        lines += ["", session.notes.strip()]
    if session.venue and session.venue.access_notes:
        lines += ["", shared.access % {"notes": session.venue.access_notes.strip()}]
    if session.online_url:
        lines += ["", shared.joining_link]
    lines += ["", shared.book % {"url": url}]
    return "\n".join(lines)


def session_entry(session: Session, shared: _Shared) -> Entry:
    venue = session.venue
    geo = None
    if venue and venue.latitude is not None and venue.longitude is not None:
        geo = (venue.latitude, venue.longitude)
    url = site.absolute(address("session", session.pk))  # reverse() for each of 500 entries
    return Entry(
        uid=session_uid(session, shared),
        created=session.created_at,
        start=session.starts_at,
        end=session.ends_at,
        summary=session.surgery.name,
        location=session_location(session, shared),
        description=session_description(session, url, shared),
        url=url,
        cancelled=session.is_cancelled,
        # Clients keep the copy with the higher SEQUENCE, so each significant change to a
        # published event (a new time or place, then a cancellation) must raise it.
        sequence=int(session.moved_at is not None) + int(session.is_cancelled),
        geo=geo,
    )


def sessions_calendar(sessions: Iterable[Session], *, name: str) -> bytes:
    """A calendar of sessions: read them `for_entries()`, or it costs queries for each."""
    shared = _shared()
    return calendar([session_entry(s, shared) for s in sessions], name=name)


def session_calendar(session: Session) -> bytes:
    name = f"{session.surgery.name}, {dateformat.format(session.date, 'j F Y')}"
    return sessions_calendar([session], name=name)


# A session's row, as its entry reads it: its dates and times last, read as they are stored
# (lib/written.py), turned into Python's only for a row whose event is written.
ENTRY_TIMES = ("date", "start_time", "end_time", "created_at", "cancelled_at", "moved_at")
ENTRY_ROW = ("pk", *(name for name in ENTRY_FIELDS if name not in ENTRY_TIMES), *ENTRY_TIMES)
# Each session's event, written from its row (lib/written.py). Writing the network's 500
# took 30 ms each time its file was made; after a change, only what changed is written.
_events: Written[tuple, Event] = Written(most=4000)


def entry_rows(sessions: QuerySet[Session]) -> QuerySet[Session, tuple]:
    """These sessions' rows, for `listed_calendar()`: one query, best prepared."""
    # An expression's value comes after the columns, in the order given: ENTRY_ROW's.
    columns = ENTRY_ROW[: -len(ENTRY_TIMES)]
    return as_stored(sessions.values_list(*columns, *map(Stored, ENTRY_TIMES)))


def listed_calendar(rows: Iterable[tuple], *, name: str) -> bytes:
    """A calendar of the sessions whose `entry_rows()` these are.

    Each row is looked up as the database hands it back: turning the network's 500 rows'
    dates and times into Python's took a third of the time it took to read them. Only a row
    not kept is turned, to write its event.
    """
    shared = _shared()
    turning_rows = functools.cache(lambda: turning(entry_rows(Session.objects.all())))

    def write(row: tuple) -> Event:
        return event(session_entry(_session_of(turning_rows()(row)), shared))

    return calendar_of(_events.each(rows, under=shared, write=write), name=name)


# Sessions' rows by their ids, prepared (lib/prepared.py): after a change, Django took
# longer to build the query for the few not kept than the database took to answer it.
_entry_rows_of = Prepared(lambda ids: entry_rows(Session.objects.filter(pk__in=ids)))
# The network's events, each kept by its session's id and where the change log had got for
# its surgery (and for every surgery), as `network_calendar()` looks them up.
_network_events: Written[tuple, Event] = Written(most=4000)
changelog.kept_by_marks(_network_events.clear)


def network_calendar(listed: Iterable[tuple[int, int]], *, name: str) -> bytes:
    """A calendar of these sessions, each given as its id and its surgery's, in order.

    Only the ids are read for the whole list: the rows of the network's 500, each with its
    surgery's words, took 4.3 ms to read on the large tier, two thirds of its file. So each
    event is kept by its session's id and its surgery's place in the change log
    (`changelog.marks()`), which every change to a session, its surgery or its venue moves,
    and only the sessions whose events are not kept are read in full.
    """
    shared = _shared()
    marks = changelog.marks()
    everywhere = marks.everywhere
    keys = [(pk, marks.of(surgery_id), everywhere) for pk, surgery_id in listed]
    turning_rows = functools.cache(lambda: turning(entry_rows(Session.objects.all())))

    def read(missing: list[tuple]) -> dict[tuple, tuple]:
        # Read after the log: a change committed in between is written under the older
        # place, and written again once the log is read next.
        by_id = {key[0]: key for key in missing}
        rows = _entry_rows_of.list(ids=tuple(by_id))
        return {by_id[row[0]]: row for row in rows}

    def write(row: tuple) -> Event:
        return event(session_entry(_session_of(turning_rows()(row)), shared))

    events = _network_events.each_read(keys, under=shared, read=read, write=write)
    return calendar_of(events, name=name)


def _session_of(row: tuple) -> Session:
    """The session a row is, with its surgery and venue, as for_entries() reads it."""
    values = dict(zip(ENTRY_ROW, row, strict=True))
    surgery = {n.removeprefix("surgery__"): values.pop(n) for n in ENTRY_ROW if "surgery__" in n}
    venue = {n.removeprefix("venue__"): values.pop(n) for n in ENTRY_ROW if "venue__" in n}
    session = Session(**values)
    session.surgery = Surgery(**surgery)
    session.venue = None if session.venue_id is None else Venue(pk=session.venue_id, **venue)
    return session
