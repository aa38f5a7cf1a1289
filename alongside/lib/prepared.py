"""Queries of a fixed shape, put into SQL once per process, then run with new values.

Django builds a query's SQL afresh each time it runs: every column of every model it reads,
its joins, its order. For a session read with its surgery and venue that took 0.34 ms, six
times what SQLite took to answer it, and an organiser's page ran eight to ten queries.

A `Prepared` query is built once by Django, with stand-ins where its values go; each time it
runs, the real values take their places in the same SQL, and Django's own machinery reads
the rows as before: `select_related()`, `only()`, `values_list()`, `prefetch_related()` and
a queryset's own iterable (such as the places counted by `with_counts()`).

- **Whole numbers, text and other numbers** passed in (ids, a slug, a place's degrees)
  take their places in the same SQL.
- **A tuple of ids**, for `pk__in`, takes its places too. It is padded with numbers that are
  no row's id (below zero) up to a power of two, so that a page of 20 and one of 13 run the
  same SQL: Django writes one placeholder for each id.
- **Any other value** passed in, such as today's date, chooses a version of the SQL: built
  for each new value and kept with the last few (`VERSIONS`). So it must be one of a few.
- **Nothing else may vary.** A query that reads "now" or "today" itself would keep the first
  one, so they are passed in. Nor can a value Django writes into the SQL (a slice's bounds)
  rather than passing it: `page(offset=…, limit=…)` reads a slice of an ordered query, its
  bounds written into a `LIMIT … OFFSET …` added to the end of the same SQL.

Each version is built twice, with different stand-ins, and refused unless only the stand-ins
changed and each value passed in was found among the query's parameters.

A total is read as a row: `values_list(Counted("pk"), Largest("pk"))` (Django's `Count` and
`Max` are aggregates, which `values_list()` would group by every column of the model).
"""

from __future__ import annotations

import builtins
import copy
import inspect
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, overload

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Func, IntegerField, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.dispatch import receiver

# The kinds of value that take their places in the SQL, and the two sets of stand-ins for
# them. Numbers: far above any real id, yet inside a 32-bit column's range (Django makes a
# lookup beyond a column's range match nothing, leaving the value out of the SQL).
_STAND_INS: dict[type, tuple[Callable[[int], Any], Callable[[int], Any]]] = {
    int: (lambda n: 2_000_000_000 + n, lambda n: 2_100_000_000 + n),
    str: (lambda n: f"\x1fstand-in {n}", lambda n: f"\x1fanother stand-in {n}"),
    # Numbers that are not whole, such as a place's degrees: halves, far beyond any degree.
    float: (lambda n: 2_000_000_000.5 + n, lambda n: 2_100_000_000.5 + n),
}

# A tuple of ids' stand-ins: the n-th value's i-th id. Apart from the numbers' above.
_IDS_STAND_INS: tuple[Callable[[int, int], int], Callable[[int, int], int]] = (
    lambda n, i: 2_020_000_000 + 10_000 * n + i,
    lambda n, i: 2_120_000_000 + 10_000 * n + i,
)

# A number beyond 64 bits is no row's id: the database drivers would refuse it.
_LARGEST = 2**63 - 1

# Versions of one query kept, for values other than numbers and text: today and yesterday.
VERSIONS = 8

_every: list[Prepared] = []


class Counted(Func):
    """COUNT(column), for a prepared query's total (see above)."""

    function = "COUNT"
    output_field = IntegerField()


class Largest(Func):
    """MAX(column), for a prepared query's total (see above)."""

    function = "MAX"


@dataclass(frozen=True)
class _Ready:
    queryset: QuerySet
    compiler: SQLCompiler
    sql: str
    params: tuple
    # Each parameter that takes a value: whose value (and which of a tuple's ids), and the
    # type the parameter had: on PostgreSQL a number compared with an integer column is
    # passed as psycopg's Int4 or Int8.
    places: tuple[tuple[int, str, int | None, type], ...]
    # How each column's value is read back (dates from SQLite's text, say). Django works
    # these out again each time a query's rows are read: 0.1 ms a query, as long as SQLite
    # took to answer many of them.
    converters: dict


class Prepared[T]:
    """`build(**values)` returns a queryset; `Prepared(build).list(**values)` its rows."""

    def __init__(
        self, build: Callable[..., QuerySet[Any, T]], *, planned_once: bool = True
    ) -> None:
        """`planned_once=False` for a query whose best plan depends on its values (how many
        rows a date leaves, say): PostgreSQL then plans it with them each time it runs."""
        self._build = build
        self._planned_once = planned_once
        self._names = frozenset(inspect.signature(build).parameters)
        self._ready: dict[tuple, _Ready] = {}
        self._model: Any = None
        self._lock = threading.Lock()
        _every.append(self)

    def list(self, **values: Any) -> list[T]:
        return self._rows(values)

    def page(self, *, offset: int, limit: int, **values: Any) -> builtins.list[T]:
        """The rows from `offset` on, `limit` of them at most, of an ordered query."""
        if offset < 0 or limit < 0:
            raise ValueError("A page starts at 0 or later and holds 0 rows or more.")
        if limit == 0:
            return []  # as Django reads nothing for an empty slice
        return self._rows(values, (offset, limit))

    def _rows(
        self, values: dict[str, Any], window: tuple[int, int] | None = None
    ) -> builtins.list[T]:
        if set(values) != self._names:
            raise TypeError(f"Give exactly {', '.join(sorted(self._names))}.")
        if any(type(value) is int and abs(value) > _LARGEST for value in values.values()):
            return []
        placed: dict[str, Any] = {}
        for name, value in values.items():
            if type(value) is tuple and all(type(one) is int for one in value):
                if not (value := _padded(value)):
                    return []  # as Django finds nothing for pk__in=[]
                placed[name] = value
            elif type(value) in _STAND_INS:
                placed[name] = value
        others = {name: value for name, value in values.items() if name not in placed}
        if self._model is None:
            self._model = self._build(**_stand_ins(placed, 0), **others).model
        alias = router.db_for_read(self._model)
        connection = connections[alias]
        kinds = tuple(sorted((name, _shape(value)) for name, value in placed.items()))
        key = (alias, connection.vendor, kinds, tuple(sorted(others.items())))
        ready = self._ready.get(key)
        if ready is None:
            ready = self._prepare(alias, placed, others)
            with self._lock:  # a server's threads may add versions at once
                while len(self._ready) >= VERSIONS:
                    del self._ready[next(iter(self._ready))]  # the oldest
                self._ready[key] = ready
        params = list(ready.params)
        for place, name, i, kind in ready.places:
            params[place] = kind(placed[name] if i is None else placed[name][i])
        sql = ready.sql
        if window is not None:
            query = ready.queryset.query
            if query.is_sliced or not ready.queryset.ordered or query.combinator:
                raise ValueError("Only a query in order, and not cut already, has pages.")
            # Written as Django writes them, after the query's ORDER BY (the same words on
            # SQLite and PostgreSQL): passed as values, PostgreSQL planned for every row
            # rather than for the first few, and a page of the API's sessions took 109 ms
            # instead of 1.2 ms on the large tier. Whole numbers, so nothing else is written.
            offset, limit = int(window[0]), int(window[1])
            sql = f"{sql} LIMIT {limit} OFFSET {offset}"
        compiler = copy.copy(ready.compiler)
        compiler.connection = connection  # this thread's: a server's threads each have one
        answer = (sql, tuple(params))
        compiler.as_sql = lambda *args, **kwargs: answer  # type: ignore[method-assign]
        compiler.get_converters = lambda expressions: ready.converters  # type: ignore[method-assign]
        queryset = ready.queryset.all()  # a copy, its rows not yet read
        # The one place Django asks a queryset's query for its SQL when reading its rows.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        with _planned_once(connection) if self._planned_once else nullcontext():
            return list(queryset)

    def first(self, **values: Any) -> T | None:
        rows = self.list(**values)
        return rows[0] if rows else None

    def _prepare(self, alias: str, placed: dict[str, Any], others: dict[str, Any]) -> _Ready:
        stand_ins = _stand_ins(placed, 0)
        queryset = self._build(**stand_ins, **others).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        whose: dict[tuple[type, Any], tuple[str, int | None]] = {}
        for name, value in stand_ins.items():
            if type(value) is tuple:
                whose |= {(int, one): (name, i) for i, one in enumerate(value)}
            else:
                whose[type(value), value] = (name, None)
        places = tuple(
            (i, *whose[_kind(p), p], type(p))
            for i, p in enumerate(params)
            if (_kind(p), p) in whose
        )
        if {(name, i) for _place, name, i, _type in places} != set(whose.values()):
            raise ValueError("Each value must be one of the query's parameters.")
        other_sql, other_params = (
            self._build(**_stand_ins(placed, 1), **others)
            .using(alias)
            .query.get_compiler(using=alias)
            .as_sql()
        )
        held = {place for place, _name, _i, _type in places}
        unchanged = [p for i, p in enumerate(params) if i not in held]
        other_unchanged = [p for i, p in enumerate(other_params) if i not in held]
        if other_sql != sql or other_unchanged != unchanged or len(other_params) != len(params):
            raise ValueError("The query's SQL changes with its values: it cannot be prepared.")
        # The columns Django reads the rows by (SQLCompiler.results_iter()), known once the
        # SQL is written.
        columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(columns)
        return _Ready(queryset, compiler, sql, params, places, converters)


class Pages[T](Sequence[T]):
    """The rows of an ordered prepared query, for Django's Paginator: counted by one prepared
    query (`Counted`, flat) or already (a number), and each page read by `ordered.page()`,
    only when asked for."""

    def __init__(self, counted: Prepared[int] | int, ordered: Prepared[T], **values: Any) -> None:
        self.counted, self.ordered, self.values = counted, ordered, values

    def __len__(self) -> int:  # what the paginator counts
        if isinstance(self.counted, int):
            return self.counted
        return self.counted.list(**self.values)[0]

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> builtins.list[T]: ...
    def __getitem__(self, index: int | slice) -> T | builtins.list[T]:
        if isinstance(index, int):
            rows = self[index : index + 1 or None]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, index.stop
        if stop is None or start < 0 or stop < 0 or index.step not in (None, 1):
            start, stop, step = index.indices(len(self))  # counted only when this needs it
            if step != 1:
                raise ValueError("A page is a run of rows, one after another.")
        if stop <= start:  # nothing found, say: no query, as with Django's empty slice
            return []
        return self.ordered.page(offset=start, limit=stop - start, **self.values)


@contextmanager
def _planned_once(connection: Any) -> Iterator[None]:
    """On PostgreSQL, the query (and any it runs to prefetch) prepared on the server.

    PostgreSQL then plans it once per connection and keeps the plan, rather than planning it
    each time: for the read of a session with its surgery and venue, planning took longer
    than running. psycopg prepares queries only when it binds their values on the server
    (settings.py: `server_side_binding`, DATABASE_PREPARED_STATEMENTS), and only these are
    prepared: with every query prepared after five runs, PostgreSQL kept for some a plan made
    without their values, and the calendar's and the API's list took 3 to 11 times longer.
    """
    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get(
        "server_side_binding"
    ):
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.prepare_threshold  # Django's None: no other query is prepared
    raw.prepare_threshold = 0  # prepared the first time, then run by name
    try:
        yield
    finally:
        raw.prepare_threshold = before


def _kind(param: Any) -> type:
    """int for psycopg's Int4 and Int8 as well: which stand-in a parameter may be."""
    return int if isinstance(param, int) and not isinstance(param, bool) else type(param)


def _stand_ins(placed: dict[str, Any], which: int) -> dict[str, Any]:
    stand_ins: dict[str, Any] = {}
    for n, (name, value) in enumerate(sorted(placed.items())):
        if type(value) is tuple:
            stand_ins[name] = tuple(_IDS_STAND_INS[which](n, i) for i in range(len(value)))
        else:
            stand_ins[name] = _STAND_INS[type(value)][which](n)
    return stand_ins


def _padded(ids: tuple[int, ...]) -> tuple[int, ...]:
    """Each id once (Django drops a repeated one from the SQL), padded with -1, -2… (no row's
    id) up to a power of two: a few versions of the SQL for any number of ids."""
    distinct = tuple(dict.fromkeys(one for one in ids if 0 < one <= _LARGEST))
    if not distinct:
        return ()
    size = 1 << (len(distinct) - 1).bit_length()
    return distinct + tuple(range(-1, len(distinct) - size - 1, -1))


def _shape(value: Any) -> str:
    return f"{len(value)} ids" if type(value) is tuple else type(value).__name__


@receiver(setting_changed)
def _forget(setting: str, **kwargs) -> None:
    # Tests may point a model at another database, or read times in another zone.
    if setting in ("DATABASES", "DATABASE_ROUTERS", "TIME_ZONE", "USE_TZ"):
        for prepared in _every:
            prepared._ready.clear()
