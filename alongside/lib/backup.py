"""`alongside backup [path]` and `alongside restore path`, while the site runs.

SQLite: the online backup API (sqlite3.Connection.backup) copies a consistent snapshot page
by page, whatever the web server and worker are writing meanwhile; restoring copies the file
back the same way, so open connections see the restored data on their next transaction.
PostgreSQL: pg_dump's custom format (-Fc) and pg_restore --clean --if-exists, which drops
and recreates each table, so a restore into a live database replaces what is there.

A restore first checks that the file is an intact Alongside backup (the database's own
integrity check, the tables every Alongside database has, and only migrations this version
knows), and keeps the database it replaces beside it: an empty or wrong file changes
nothing. Backups are readable by their owner only, and those in the default place are
rotated: the newest BACKUP_KEEP are kept, so none outlives the retention period by much.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from alongside.lib.progress import Progress

# Tables every Alongside database has; a file without them is not one of our backups.
EXPECTED_TABLES = {"django_migrations", "surgeries_surgery", "surgeries_session"}


class NotABackup(Exception):
    """The file is not an intact Alongside backup. Nothing has been touched."""


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def _suffix() -> str:
    return "sqlite3" if _is_sqlite() else "dump"


def default_path(prefix: str = "alongside") -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    return _folder() / f"{prefix}-{stamp}.{_suffix()}"


def _is_sqlite(alias: str = "default") -> bool:
    return connections[alias].vendor == "sqlite"


def backup(
    path: Path | None = None, *, alias: str = "default", progress: Progress | None = None
) -> Path:
    progress = progress or Progress(quiet=True)
    rotate = path is None
    path = Path(path or default_path())
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Made empty and private first: the copy writes into it and keeps its mode, so the
    # people in it are never readable by others, not even while it is being written.
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    db = connections[alias].settings_dict
    if _is_sqlite(alias):
        progress.say(f"Copying the SQLite database {db['NAME']} to {path}")
        _sqlite_copy(Path(db["NAME"]), path, progress=progress)
    else:
        progress.say(f"Dumping the PostgreSQL database {db['NAME']} with pg_dump to {path}…")
        _run("pg_dump", "-Fc", "--no-owner", "--file", str(path), _dbname(db), db=db)
        progress.say(f"Dumped {path.stat().st_size / 1_000_000:,.1f} MB")
    os.chmod(path, 0o600)
    if rotate:
        progress.say(f"Keeping the newest {settings.BACKUP_KEEP} backups in {_folder()}")
        for gone in rotated(keep=settings.BACKUP_KEEP):
            progress.say(f"Deleted the old backup {gone.name}")
    progress.done()
    return path


def rotated(*, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in the default place; the deleted ones."""
    found = sorted(_folder().glob(f"alongside-*.{_suffix()}"), key=lambda p: p.name)
    gone = found[: max(len(found) - keep, 0)]
    for old in gone:
        old.unlink()
    return gone


def check(path: Path, *, alias: str = "default") -> None:
    """Raise NotABackup unless the file is an intact Alongside backup this version can use."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise NotABackup(f"{path} is missing or empty.")
    if _is_sqlite(alias):
        tables, applied = _sqlite_contents(path)
    else:
        tables, applied = _dump_contents(path, connections[alias].settings_dict)
    if missing := EXPECTED_TABLES - tables:
        raise NotABackup(f"{path} is not an Alongside backup: no {', '.join(sorted(missing))}.")
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if newer := sorted(applied - known):
        raise NotABackup(
            f"{path} was made by a newer version of Alongside "
            f"(migrations this one does not know: {', '.join(map('.'.join, newer[:5]))})."
        )


def _sqlite_contents(path: Path) -> tuple[set[str], set[tuple[str, str]]]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (result,) = conn.execute("PRAGMA integrity_check").fetchone()
            if result != "ok":
                raise NotABackup(f"{path} is damaged: {result}")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            applied: set[tuple[str, str]] = set()
            if "django_migrations" in tables:
                applied = set(conn.execute("SELECT app, name FROM django_migrations"))
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise NotABackup(f"{path} is not a SQLite database: {e}") from e
    return tables, applied


_COPY = re.compile(r"^COPY public\.django_migrations \(([^)]*)\) FROM stdin;$")


def _dump_contents(path: Path, db: dict) -> tuple[set[str], set[tuple[str, str]]]:
    try:
        listing = _output("pg_restore", "--list", str(path), db=db)
        migrations = _output(
            "pg_restore", "--data-only", "--table=django_migrations", "--file=-", str(path), db=db
        )
    except subprocess.CalledProcessError as e:
        raise NotABackup(f"{path} is not a PostgreSQL dump pg_restore can read.") from e
    tables = set(re.findall(r"\bTABLE public (\w+)\b", listing))
    applied, columns = set(), None
    for line in migrations.splitlines():
        if columns is None:
            if match := _COPY.match(line):
                columns = [c.strip() for c in match.group(1).split(",")]
            continue
        if line == "\\.":
            break
        row = dict(zip(columns, line.split("\t"), strict=False))
        applied.add((row["app"], row["name"]))
    return tables, applied


def restore(path: Path, *, alias: str = "default", name: str | None = None) -> Path | None:
    """Put a backup in place of the database, or with `name` into another, empty one.

    Checks the backup first (NotABackup, with nothing touched), then keeps the database it
    replaces beside the others in the backups folder: returns where.
    """
    path = Path(path)
    check(path, alias=alias)
    db = connections[alias].settings_dict
    kept = None
    if name:
        db = {**db, "NAME": name}
    else:
        kept = backup(default_path("replaced"), alias=alias)
        connections[alias].close()
    if _is_sqlite(alias):
        _sqlite_copy(path, Path(db["NAME"]))
    else:
        _run(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            _dbname(db),
            str(path),
            db=db,
        )
    return kept


# Pages copied per step when someone watches: about 2% of the database a step. Unwatched it
# is copied in one step, as a read lock, so a busy site's writes never restart the copy.
STEPS = 50


def _sqlite_copy(source: Path, target: Path, *, progress: Progress | None = None) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, timeout=20)
    try:
        with dst:
            if progress and progress.shown:
                total = src.execute("PRAGMA page_count").fetchone()[0]

                def copied(status: int, remaining: int, pages: int) -> None:
                    progress.fraction("Copied", pages - remaining, pages)

                src.backup(dst, pages=max(total // STEPS, 1), progress=copied, sleep=0)
            else:
                src.backup(dst)
    finally:
        dst.close()
        src.close()


def _dbname(db: dict) -> str:
    """A libpq connection string, so the password never shows in the process list."""
    parts = {
        "dbname": db["NAME"],
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
        "user": db.get("USER") or "",
    }
    quote = str.maketrans({"\\": "\\\\", "'": "\\'"})
    return " ".join(f"{k}='{v.translate(quote)}'" for k, v in parts.items() if v)


def _env(db: dict) -> dict:
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def find_binary(name: str) -> str:
    """pg_dump/pg_restore on PATH, else the newest in /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if not candidates:
        raise FileNotFoundError(f"{name} not found: install the PostgreSQL client tools")
    return candidates[-1]


def _output(name: str, *args: str, db: dict) -> str:
    result = subprocess.run(  # noqa: S603 - our arguments, no shell
        [find_binary(name), *args], check=True, env=_env(db), capture_output=True, text=True
    )
    return result.stdout


def _run(name: str, *args: str, db: dict) -> None:
    subprocess.run(  # noqa: S603 - our arguments, no shell
        [find_binary(name), *args], check=True, env=_env(db)
    )
