"""`alongside backup` and `alongside restore`: every row of every table comes back."""

from __future__ import annotations

import hashlib

import psycopg
import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from alongside.demo.build import build_demo_network
from alongside.lib import backup
from alongside.outbox.models import Message
from alongside.surgeries.models import Topic
from alongside.surgeries.topics import ensure_topics

pytestmark = [
    pytest.mark.slow,  # the whole demo network, backed up and restored
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("topics_put_back"),
]


def table_sums(cursor=None) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of all its rows, in a fixed order."""
    connection = connections["default"]
    sums = {}
    with connection.cursor() as own:
        tables = sorted(connection.introspection.table_names(own))
        for table in tables:
            quoted = connection.ops.quote_name(table)
            (cursor or own).execute(f"SELECT * FROM {quoted}")  # noqa: S608 - our own tables
            rows = sorted(repr(row) for row in (cursor or own).fetchall())
            sums[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return sums


def build() -> dict[str, tuple[int, str]]:
    ensure_topics(Topic)
    build_demo_network(today=timezone.localdate())
    Message.objects.create(key="k", message_id="<m@example>", to="pat@example.org", subject="Hi")
    sums = table_sums()
    assert sums["bookings_booking"][0] > 100
    return sums


def test_a_sqlite_backup_restores_every_row(tmp_path):
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite only")
    before = build()
    path = backup.backup(tmp_path / "site.sqlite3")

    call_command("flush", interactive=False, verbosity=0)
    assert table_sums()["bookings_booking"][0] == 0
    backup.restore(path)

    assert table_sums() == before


def test_a_sqlite_backup_is_taken_from_the_default_place(settings, tmp_path):
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite only")
    settings.DATA_DIR = tmp_path
    path = backup.backup()
    assert path.parent == tmp_path / "backups"
    assert path.name.startswith("alongside-") and path.suffix == ".sqlite3"


def test_a_postgres_dump_restores_every_row_into_a_fresh_database(tmp_path):
    default = connections["default"]
    if default.vendor != "postgresql":
        pytest.skip("PostgreSQL only: set DATABASE_URL")
    before = build()
    path = backup.backup(tmp_path / "site.dump")

    # A database of this test's own, named after the test database (which has each test
    # worker's suffix), so no other worker's database is touched.
    restore_db = f"{default.settings_dict['NAME']}_restored"
    with default.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {restore_db}")
        cursor.execute(f"CREATE DATABASE {restore_db}")
    try:
        backup.restore(path, name=restore_db)
        conninfo = {**default.get_connection_params(), "dbname": restore_db}
        conninfo.pop("cursor_factory", None)
        with psycopg.connect(**conninfo) as restored:
            assert table_sums(restored.cursor()) == before
    finally:
        with default.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {restore_db}")
