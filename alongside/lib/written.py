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

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any

from django.db.models import Func, QuerySet
from django.db.models.query import BaseIterable
from django.db.models.sql.constants import MULTI

# More than the languages and sites one server writes for: only tests reach it.
_MOST_UNDER = 8


class Written[R: Hashable, T]:
    def __init__(self, *, most: int) -> None:
        self.most = most
        self._kept: dict[Hashable, dict[R, T]] = {}

    def each(self, rows: Iterable[R], *, under: Hashable, write: Callable[[R], T]) -> list[T]:
        """What `write` makes of each row, written only for a row not kept under `under`."""
        kept = self._kept_under(under)
        written = []
        for row in rows:
            found = kept.get(row)
            if found is None:
                if len(kept) >= self.most:
                    kept.clear()
                found = kept[row] = write(row)
            written.append(found)
        return written

    def each_read[F](
        self,
        rows: Sequence[R],
        *,
        under: Hashable,
        read: Callable[[list[R]], Mapping[R, F]],
        write: Callable[[F], T],
    ) -> list[T]:
        """`each()` for rows that only name what is written, such as an id and where the
        change log had got: what each is written from is read by `read` for all those not
        kept, in one go, and a row it does not find (deleted meanwhile) is left out."""
        kept = self._kept_under(under)
        missing = [row for row in rows if row not in kept]
        if len(kept) + len(missing) > self.most:
            kept.clear()  # before, not while they are written: what was read stays enough
            missing = list(rows)
        found = read(missing) if missing else {}
        written = []
        for row in rows:
            made = kept.get(row)
            if made is None:
                if row not in found:
                    continue
                made = kept[row] = write(found[row])
            written.append(made)
        return written

    def clear(self) -> None:
        self._kept.clear()

    def _kept_under(self, under: Hashable) -> dict[R, T]:
        kept = self._kept.get(under)
        if kept is None:
            if len(self._kept) >= _MOST_UNDER:
                self._kept.clear()
            kept = self._kept[under] = {}
        return kept


class Stored(Func):
    """A column as the database stores it, in a row that is a key.

    SQLite hands back a date or a time as text, and sqlite3 turns each into Python's as it
    reads the row, because Django asks it to for every column declared as one: the network's
    calendar file's 500 rows took 5.4 ms to read with their 3,000 turned, 3.7 ms without. An
    expression has no declared type, so SQLite's `+column` (which changes nothing) comes back
    as text. Other databases read the column as it is.
    """

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


class _StoredRows(BaseIterable):
    def __iter__(self) -> Iterator[tuple]:
        compiler = self.queryset.query.get_compiler(self.queryset.db)
        chunks = compiler.execute_sql(
            MULTI, chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size
        )
        return chain.from_iterable(chunks)


def as_stored(rows: QuerySet) -> QuerySet:
    """`rows`, a `values_list()`, each row as the database hands it back: to be looked up as
    it is, with the columns a key reads `Stored`, and turned into Python's values by
    `turning(rows)` only when something is written from it."""
    rows = rows.all()
    rows._iterable_class = _StoredRows
    return rows


def turning(rows: QuerySet) -> Callable[[tuple], tuple]:
    """What turns a row of `as_stored(rows)` into the row `rows` would have read."""
    compiler = rows.query.get_compiler(using=rows.db)
    compiler.setup_query()
    converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])

    def turn(row: tuple) -> tuple:
        [turned] = compiler.apply_converters([row], converters)
        return tuple(turned)

    return turn
