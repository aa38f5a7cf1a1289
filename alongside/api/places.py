"""How many sessions to come have a place left, for the API's list: kept in each process.

The API's list of sessions says how many there are, and counting them counts the places
taken at every session to come: 71 ms for a national network, again on the first request
after any change anywhere. So each process keeps, for each surgery, how many of its sessions
on each date have a place left, with where the change log had got for that surgery.

A request reads the log's stamp (one query). When the log has moved, it reads each surgery's
place in it and counts again only the surgeries whose place moved: after a booking, the
sessions to come of one surgery. Every surgery is counted again on a new day, after a change
logged for every surgery (a load in bulk logs one), and when many moved at once (the daily
job that prunes the log). Kept by the log as the page cache is, so nothing that changes
places goes uncounted: every booking, session and surgery written is logged with it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Value, When
from django.db.models.functions import Greatest

from alongside.lib.prepared import Prepared
from alongside.surgeries import changelog
from alongside.surgeries.models import Audience, Session, SessionQuerySet

# Surgeries counted again by their ids, in one query. When more moved (the daily job that
# prunes the log moves most of them), every surgery is counted.
MOST_ONE_BY_ONE = 200


def with_places_left(sessions: SessionQuerySet) -> SessionQuerySet:
    """Sessions where someone may still book a place to get help.

    The same sum as Session.places_left, in the database, so a page of them is one query:
    at a surgery for both, the places kept for members and not yet taken are not free.
    Each session is counted on its own, so a page reads the sessions in order and stops
    when it has enough."""
    kept = Case(
        When(
            surgery__audience=Audience.BOTH,
            then=Greatest(F("member_places") - F("members_taken"), Value(0)),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return sessions.annotate(free=F("help_places") - F("help_taken") - kept).filter(free__gt=0)


def open_sessions(today: dt.date) -> SessionQuerySet:
    """Sessions to come, not cancelled, that anyone may book, with a place left."""
    found = Session.objects.public().upcoming(today).filter(cancelled_at__isnull=True)
    return with_places_left(found.with_counts_each())


@dataclass(frozen=True)
class _Tally:
    day: dt.date
    marks: changelog.Marks  # where the log had got for each surgery when they were counted
    dates: dict[int, dict[dt.date, int]]  # each surgery's open sessions, by date
    network: dict[dt.date, int]  # all of them, by date


_tally: _Tally | None = None
_lock = threading.Lock()


def how_many(*, today: dt.date, start: dt.date | None, end: dt.date | None) -> int:
    """How many of the network's sessions from `start` to `end` (both may be None) are
    `open_sessions(today)`: one query when nothing changed since this process last looked."""
    tally = _brought_up_to_date(today)
    return sum(
        n
        for date, n in tally.network.items()
        if (start is None or date >= start) and (end is None or date <= end)
    )


@changelog.kept_by_marks
def _forget() -> None:
    global _tally
    _tally = None


def _brought_up_to_date(today: dt.date) -> _Tally:
    global _tally
    marks = changelog.marks()
    tally = _tally
    if tally is not None and tally.day == today and tally.marks.stamp == marks.stamp:
        return tally
    with _lock:
        # Counted after the log was read: a change committed meanwhile moves its surgery's
        # place again, and it is counted once more next time.
        moved = None
        if tally is not None and tally.day == today:
            moved = marks.moved_since(tally.marks, most=MOST_ONE_BY_ONE)
        if tally is None or moved is None:
            dates = _count(today, None)
            network = _summed(dates.values(), {})
        else:
            # Only the surgeries that moved: their dates taken out, and put in again.
            dates, network = dict(tally.dates), dict(tally.network)
            _summed([dates.pop(s, {}) for s in moved], network, taking=True)
            counted = _count(today, moved)
            dates.update((s, by_date) for s, by_date in counted.items() if by_date)
            _summed(counted.values(), network)
        _tally = _Tally(today, marks, dates, network)
        return _tally


def _summed(
    each: Iterable[dict[dt.date, int]], network: dict[dt.date, int], *, taking: bool = False
) -> dict[dt.date, int]:
    """`network` with these surgeries' open sessions added to it by date (taken out, with
    `taking`): a date with none left is dropped."""
    sign = -1 if taking else 1
    for by_date in each:
        for date, n in by_date.items():
            total = network.get(date, 0) + sign * n
            if total:
                network[date] = total
            else:
                network.pop(date, None)
    return network


def _grouped(sessions: SessionQuerySet) -> SessionQuerySet:
    return sessions.order_by().values_list("surgery_id", "date").annotate(n=Count("pk"))


# Built once (lib/prepared.py): with its nine subqueries, Django took longer to build the
# count of one surgery's sessions than the database took to answer it.
_all_counted = Prepared(lambda today: _grouped(open_sessions(today)))
_counted_of = Prepared(
    lambda today, surgeries: _grouped(open_sessions(today).filter(surgery_id__in=surgeries))
)


def _count(today: dt.date, surgeries: set[int] | None) -> dict[int, dict[dt.date, int]]:
    """These surgeries' open sessions (every surgery's, with None), by date."""
    if surgeries is None:
        rows = _all_counted.list(today=today)
    else:
        rows = _counted_of.list(today=today, surgeries=tuple(sorted(surgeries)))
    dates: dict[int, dict[dt.date, int]] = {}
    for surgery, date, n in rows:
        dates.setdefault(surgery, {})[date] = n
    return dates
