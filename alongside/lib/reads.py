"""Links filled from rows a page has already read, so another list need not join them again.

On this stack Django takes longer to build a query with `select_related()` than the
database takes to run it (docs/scaling.md): a list of pairings naming two bookings each
cost 0.65 ms to ask for, 0.34 ms without the joins. A page that has read every booking of a
session anyway gives each pairing its two from that read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def link(rows: Iterable[Any], read: Mapping[Any, Any], *fields: str) -> None:
    """Set each row's foreign keys named in `fields` to the object `read` has for its id.

    One that `read` lacks stays as it was: read from the database on first use, so a row
    pointing elsewhere is still right, only slower.
    """
    for row in rows:
        for name in fields:
            key = getattr(row, f"{name}_id")
            if key is not None and (found := read.get(key)) is not None:
                setattr(row, name, found)
