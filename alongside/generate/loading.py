"""Loading rows in bulk: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.db import connection, transaction
from django.db.models import Max
from psycopg import sql

# Loading ------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database a URL names, if it is missing."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")


def _columns(model, columns: list[str]):
    """The given fields (by name), then every other NOT NULL column with its default."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    given = [fields[name] for name in columns]
    rest = [
        f
        for f in model._meta.concrete_fields
        if f.name not in columns and not f.null and not f.primary_key
    ]
    extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    # Quoted: some columns are SQL words ("group", "primary").
    names = [connection.ops.quote_name(f.column) for f in [*given, *rest]]
    return given, names, extra


def copy(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into a model's table; other NOT NULL columns get the field's default."""
    given, names, extra = _columns(model, columns)
    statement = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
    n = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as out:
        for row in rows:
            out.write_row(row + extra)
            n += 1
    return n


def insert(model, columns: list[str], rows: Iterable[tuple], batch: int = 20_000) -> int:
    """The same as copy(), with executemany: for SQLite."""
    given, names, extra = _columns(model, columns)
    # Only dates, times and JSON need turning into what SQLite stores; the rest go as they are.
    convert = {
        i: (lambda v, f=f: f.get_db_prep_save(v, connection))
        for i, f in enumerate(given)
        if f.get_internal_type() in ("DateTimeField", "DateField", "TimeField", "JSONField")
    }
    marks = ", ".join(["%s"] * len(names))
    statement = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
    n = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, batch)):
            if convert:
                chunk = [
                    tuple(convert[i](v) if i in convert else v for i, v in enumerate(row))
                    for row in chunk
                ]
            cursor.executemany(statement, [row + extra for row in chunk])
            n += len(chunk)
    return n


class Loader:
    """Loads one table at a time, each in its own transaction, and says how long each took."""

    def __init__(self, out: Callable[[str], None] = print):
        self.out = out
        self.postgres = connection.vendor == "postgresql"
        self.timings: dict[str, tuple[int, float]] = {}
        self.loaded: list = []

    def next_id(self, model) -> int:
        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def load(self, name: str, model, columns: list[str], rows: Iterable[tuple]) -> int:
        started = time.perf_counter()
        with transaction.atomic():
            n = (copy if self.postgres else insert)(model, columns, self._counting(name, rows))
        took = time.perf_counter() - started
        self.timings[name] = (n, took)
        self.loaded.append(model)
        self.out(f"  {name:<22} {n:>11,} rows {took:>8.1f} s")
        return n

    def _counting(self, name: str, rows: Iterable[tuple]) -> Iterator[tuple]:
        # A line every million rows, so a long table shows it is moving.
        for n, row in enumerate(rows, 1):
            if n % 1_000_000 == 0:
                self.out(f"  {name:<22} {n:>11,} rows so far…")
            yield row

    def finish(self) -> None:
        """Sequences past the ids given, and fresh statistics for the query planner."""
        with connection.cursor() as cursor:
            if self.postgres:
                for model in {m._meta.db_table: m for m in self.loaded}.values():
                    table, pk = model._meta.db_table, model._meta.pk.column
                    # Table names come from the models, not from outside.
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "  # noqa: S608
                        f"(SELECT coalesce(max({pk}), 0) + 1 FROM {table}), false)"
                    )
        started = time.perf_counter()
        if self.postgres and not connection.in_atomic_block:
            # VACUUM cannot run inside a transaction (a test's, say): ANALYZE alone can.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        took = time.perf_counter() - started
        self.timings["(vacuum, analyze)"] = (0, took)
        self.out(f"  {'(vacuum, analyze)':<22} {'':>16} {took:>8.1f} s")


# Places -------------------------------------------------------------------------------------
