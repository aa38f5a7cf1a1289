"""Counts for rate limits: one more in a window, in a single step, whatever keeps them.

Redis and the memory cache add one in a single step (`incr`). Django's database cache reads
the value, counts its whole table to decide whether to cull, and writes the value back:
seven queries for a count begun and added to, and a burst let more through than the limit
unless each count was locked. So on the database the counts have a table of their own,
shaped as a cache table (`createcachetable` makes it, as it makes the others), where each
holds its number as plain digits and one more is a single upsert.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connections, router
from django.utils import timezone

ALIAS = "counts"

_ADD_ONE = """
    INSERT INTO {table} (cache_key, value, expires) VALUES (%s, '1', %s)
    ON CONFLICT (cache_key) DO UPDATE SET
        value = CASE WHEN {table}.expires < %s THEN '1'
            ELSE CAST(CAST({table}.value AS integer) + 1 AS varchar(20)) END,
        expires = CASE WHEN {table}.expires < %s THEN excluded.expires
            ELSE {table}.expires END
    RETURNING value
"""


class CountingDatabaseCache(BaseDatabaseCache):
    """Counts only, in a table of their own: `add_one`, `get`, `delete`, `clear`."""

    _table: str  # set by BaseDatabaseCache from LOCATION

    def _connection(self) -> Any:
        return connections[router.db_for_write(self.cache_model_class)]

    def add_one(self, key: str, seconds: int) -> int:
        """One more under `key`, begun at one if it is new or older than its `seconds`."""
        key = self.make_and_validate_key(key)
        connection = self._connection()
        adapt = connection.ops.adapt_datetimefield_value
        now = timezone.now().replace(microsecond=0)
        expires = now + dt.timedelta(seconds=seconds)
        sql = _ADD_ONE.format(table=connection.ops.quote_name(self._table))
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, adapt(expires), adapt(now), adapt(now)])
            return int(cursor.fetchone()[0])

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        table = connection.ops.quote_name(self._table)
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value FROM {table} WHERE cache_key = %s AND expires >= %s",  # noqa: S608 - the table's name is ours
                [key, now],
            )
            row = cursor.fetchone()
        return default if row is None else int(row[0])

    def delete(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(self._table)} WHERE cache_key = %s",  # noqa: S608
                [key],
            )
            return bool(cursor.rowcount)

    def clear(self) -> None:
        connection = self._connection()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(self._table)}")  # noqa: S608

    def forget_expired(self) -> int:
        connection = self._connection()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(self._table)} WHERE expires < %s",  # noqa: S608
                [now],
            )
            return cursor.rowcount


def add_one(key: str, seconds: int) -> int:
    """Count one more under `key` for `seconds`; the count after it."""
    counts = caches[ALIAS]
    if isinstance(counts, CountingDatabaseCache):
        return counts.add_one(key, seconds)
    # Redis and the memory cache: `incr` is one step; `add` begins a count only if none is.
    counts.add(key, 0, seconds)
    try:
        return counts.incr(key)
    except ValueError:  # pushed out between the two: begin again
        counts.set(key, 1, seconds)
        return 1


def count(key: str) -> int:
    """The count under `key`, 0 if there is none or it has run out."""
    return caches[ALIAS].get(key, 0)


def forget_expired() -> None:
    """Daily: a count in the database stays until it is deleted, long after its window."""
    counts = caches[ALIAS]
    if isinstance(counts, CountingDatabaseCache):
        counts.forget_expired()
