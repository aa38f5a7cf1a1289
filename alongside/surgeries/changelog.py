"""The change log: "this surgery changed", said by anything that changes what a figure counts,
a public page or the day's console shows, without importing what reads it.

The impact snapshots, the page cache for visitors, the parts of signed-in pages kept with
`{% cache %}` and the console's refresh (helprecords/console.py) all read the log: a
snapshot or a kept page knows it is out of date when the number of rows for its surgeries,
or the last one, differs. Model saves and deletes are logged by the signals in
impact/signals.py; queryset updates and bulk inserts send no signals, so the services that
use them call `changed()`.
"""

from __future__ import annotations

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
