"""What is written from a row alone, kept by that row: a line of a long list written once.

A calendar's event or a line of the network's calendar is made from one row of a query and
nothing else but the language and the site. The next time the list is made, most of its rows
are the same, and writing them again was most of the work: 500 events in the network's
calendar file, a hundred lines on a page of its calendar. Kept by the row itself, a line is
never out of date: a row that changed is another key, and is written afresh. So nothing needs
to say "this changed", and after a change only the rows it touched are written again.

Kept in each process, at most `most` for each `under` (a language and a site), then started
again; the rows of a list are its key, so they must be all that what is written reads.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

# More than the languages and sites one server writes for: only tests reach it.
_MOST_UNDER = 8


class Written[R: Hashable, T]:
    def __init__(self, *, most: int) -> None:
        self.most = most
        self._kept: dict[Hashable, dict[R, T]] = {}

    def each(self, rows: Iterable[R], *, under: Hashable, write: Callable[[R], T]) -> list[T]:
        """What `write` makes of each row, written only for a row not kept under `under`."""
        kept = self._kept.get(under)
        if kept is None:
            if len(self._kept) >= _MOST_UNDER:
                self._kept.clear()
            kept = self._kept[under] = {}
        written = []
        for row in rows:
            found = kept.get(row)
            if found is None:
                if len(kept) >= self.most:
                    kept.clear()
                found = kept[row] = write(row)
            written.append(found)
        return written

    def clear(self) -> None:
        self._kept.clear()
