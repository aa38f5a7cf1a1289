"""The change log: "this surgery changed", said by anything that changes what a figure counts,
a public page or the day's console shows, without importing what reads it.

The impact snapshots, the page cache for visitors, the parts of signed-in pages kept with
`{% cache %}`, the console's refresh (helprecords/console.py) and what a process keeps by
each surgery's place in the log (`marks()`) all read it: a snapshot or a kept page knows
it is out of date when the number of rows for its surgeries, or the last one, differs.
Model saves and deletes are logged by the signals in impact/signals.py; queryset updates
and bulk inserts send no signals, so the services that use them call `changed()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

# `surgery_id` 0: a change that touches every surgery (a group's kind, a topic's name).
EVERYWHERE = 0

_BY_SURGERY = "INSERT INTO surgeries_change (surgery_id) VALUES (%s)"
_BY_SESSION = (
    "INSERT INTO surgeries_change (surgery_id) "
    "SELECT surgery_id FROM surgeries_session WHERE id = %s"
)
_BY_RECORD = (
    "INSERT INTO surgeries_change (surgery_id) SELECT s.surgery_id FROM helprecords_helprecord r "
    "JOIN surgeries_session s ON s.id = r.session_id WHERE r.id = %s"
)


def changed(*, surgery_id: int | None = None, session_id: int | None = None) -> None:
    """Mark a surgery's figures (or every surgery's, with neither) as changed.

    Runs in the caller's transaction, so the change and its log row are seen together. An
    insert, not an update of a counter: two bookings at once never wait for each other here,
    so this can never be half of a deadlock.
    """
    with connection.cursor() as cursor:
        if session_id is not None:
            cursor.execute(_BY_SESSION, [session_id])
        else:
            cursor.execute(_BY_SURGERY, [EVERYWHERE if surgery_id is None else surgery_id])


def changed_record(help_record_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_BY_RECORD, [help_record_id])


# With the ids' sum: the rows added since a stamp add up to the next only if none was
# removed or committed late (ids are handed out at insert) meanwhile.
_STAMP = "SELECT COUNT(*), MAX(id), SUM(id) FROM surgeries_change"
_PLACES = "SELECT surgery_id, COUNT(*), MAX(id) FROM surgeries_change GROUP BY surgery_id"
_PLACES_SINCE = (
    "SELECT surgery_id, COUNT(*), MAX(id), SUM(id) FROM surgeries_change WHERE id > %s "
    "GROUP BY surgery_id"
)
# A surgery with no rows in the log.
_NOWHERE = (0, 0)


@dataclass(frozen=True)
class Marks:
    """Where the log had got: as a whole (its stamp), and for each surgery (its rows and its
    last one).

    A surgery's place moves with every change to it, its sessions, venues and bookings, and
    `everywhere` with every change to all of them: what is kept in a process by a surgery's
    place is made again once that surgery has changed, and only then.
    """

    stamp: tuple
    places: dict[int, tuple[int, int]]

    def of(self, surgery_id: int) -> tuple[int, int]:
        return self.places.get(surgery_id, _NOWHERE)

    @property
    def everywhere(self) -> tuple[int, int]:
        return self.of(EVERYWHERE)

    def moved_since(self, earlier: Marks | None, *, most: int) -> set[int] | None:
        """The surgeries whose place moved since `earlier`, or None when any of them may
        have changed: nothing earlier, a change logged for every surgery (a load in bulk,
        an erasure), or more than `most` moved (the daily job that prunes the log)."""
        if earlier is None or self.everywhere != earlier.everywhere:
            return None
        if self.stamp == earlier.stamp:
            return set()
        either = self.places.keys() | earlier.places.keys()
        moved = {s for s in either if self.of(s) != earlier.of(s)}
        return None if len(moved) > most else moved


_marks: Marks | None = None


def marks() -> Marks:
    """Each surgery's place in the log, read again in this process only when the whole log's
    stamp has moved: one query when nothing changed anywhere.

    For what is read outside a transaction, as every page is (ATOMIC_REQUESTS is off): read
    inside one, its own changes would be kept as if committed, whether it commits or not.
    """
    global _marks
    now = stamp()
    kept = _marks
    if kept is not None and kept.stamp == now:
        return kept
    # Read after the stamp: a change committed in between moves the stamp again, and the
    # places are read once more next time.
    places = _moved_on(kept, now) if kept is not None else None
    if places is None:
        with connection.cursor() as cursor:
            cursor.execute(_PLACES)
            places = {surgery: (rows, last) for surgery, rows, last in cursor.fetchall()}
    _marks = Marks(stamp=now, places=places)
    return _marks


def _moved_on(kept: Marks, now: tuple) -> dict[int, tuple[int, int]] | None:
    """The places from `kept` on, from the rows added after its last: a few, on the log's
    index, where every surgery's were a grouped read of the whole log. None when they do
    not add up to the stamp now: rows pruned, or one committed after a later one."""
    with connection.cursor() as cursor:
        cursor.execute(_PLACES_SINCE, [kept.stamp[1] or 0])
        added = cursor.fetchall()
    rows = kept.stamp[0] + sum(row[1] for row in added)
    ids = (kept.stamp[2] or 0) + sum(row[3] for row in added)
    if (rows, ids) != (now[0], now[2] or 0):
        return None
    places = dict(kept.places)
    for surgery, n, last, _ids in added:
        places[surgery] = (places.get(surgery, _NOWHERE)[0] + n, last)
    return places


def stamp() -> tuple:
    """The whole log's stamp: how many rows, the last, and their ids' sum. It moves with
    every change."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP)
        return tuple(cursor.fetchone())


_forgetting: list[Callable[[], None]] = []


def kept_by_marks[F: Callable[[], None]](forget: F) -> F:
    """Register how to forget what a module keeps in the process by the marks."""
    _forgetting.append(forget)
    return forget


def forget() -> None:
    """Read the places again next time, and forget all that is kept by them: for tests,
    whose logs can have the same stamps."""
    global _marks
    _marks = None
    for forgetting in _forgetting:
        forgetting()
