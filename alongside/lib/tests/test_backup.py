"""`alongside backup` and `alongside restore`: every row of every table comes back."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import stat

import psycopg
import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from alongside import cli
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


# --- A restore that cannot lose the database ---------------------------------------------


def test_restoring_an_empty_file_changes_nothing(tmp_path):
    before = table_sums()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(backup.NotABackup, match="missing or empty"):
        backup.restore(empty)
    assert table_sums() == before


def test_restoring_a_file_that_is_not_an_alongside_backup_changes_nothing(tmp_path):
    before = table_sums()
    other = tmp_path / "other.bin"
    if connections["default"].vendor == "sqlite":
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE notes (text TEXT)")
    else:
        other.write_bytes(b"PGDMP but not really" * 100)
    with pytest.raises(backup.NotABackup):
        backup.restore(other)
    assert table_sums() == before


def test_a_backup_from_a_newer_version_is_refused(tmp_path):
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite only: a dump's migrations are read the same way")
    path = backup.backup(tmp_path / "site.sqlite3")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('surgeries', '9999_from_the_future', '2030-01-01')"
        )
    with pytest.raises(backup.NotABackup, match="newer version"):
        backup.check(path)


def test_a_restore_keeps_the_database_it_replaces(settings, tmp_path):
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite only: restoring in place on PostgreSQL replaces the test database")
    settings.DATA_DIR = tmp_path
    ensure_topics(Topic)
    path = backup.backup(tmp_path / "site.sqlite3")
    Topic.objects.create(slug="made-after", name="Made after the backup")
    kept = backup.restore(path)
    assert not Topic.objects.filter(slug="made-after").exists()
    assert kept is not None and kept.parent == tmp_path / "backups"
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT 1 FROM surgeries_topic WHERE slug = 'made-after'").fetchone()


def test_backups_are_private_and_the_oldest_are_rotated_away(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.BACKUP_KEEP = 2
    made = [backup.backup() for _ in range(3)]
    kept = sorted((tmp_path / "backups").iterdir())
    assert kept == made[1:]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in kept)
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700


def test_alongside_restore_asks_first_and_a_script_must_say_yes(tmp_path, monkeypatch, capsys):
    suffix = "sqlite3" if connections["default"].vendor == "sqlite" else "dump"
    path = backup.backup(tmp_path / f"site.{suffix}")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(SystemExit, match="Add --yes"):
        cli.restore([str(path)])
    empty = tmp_path / "empty"
    empty.touch()
    with pytest.raises(SystemExit, match="Nothing was changed"):
        cli.restore([str(empty), "--yes"])
