"""`alongside backup [path]` and `alongside restore path`, while the site runs.

SQLite: the online backup API (sqlite3.Connection.backup) copies a consistent snapshot page
by page, whatever the web server and worker are writing meanwhile; restoring copies the file
back the same way, so open connections see the restored data on their next transaction.
PostgreSQL: pg_dump's custom format (-Fc) and pg_restore --clean --if-exists, which drops
and recreates each table, so a restore into a live database replaces what is there.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone


def default_path() -> Path:
    engine = "sqlite3" if _is_sqlite() else "dump"
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"alongside-{stamp}.{engine}"


def _is_sqlite(alias: str = "default") -> bool:
    return connections[alias].vendor == "sqlite"


def backup(path: Path | None = None, *, alias: str = "default") -> Path:
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connections[alias].settings_dict
    if _is_sqlite(alias):
        _sqlite_copy(Path(db["NAME"]), path)
    else:
        _run("pg_dump", "-Fc", "--no-owner", "--file", str(path), _dbname(db), db=db)
    return path


def restore(path: Path, *, alias: str = "default", name: str | None = None) -> None:
    """Put a backup in place of the database, or with `name` into another, empty one."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    db = connections[alias].settings_dict
    if name:
        db = {**db, "NAME": name}
    else:
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


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, timeout=20)
    try:
        with dst:
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


def _run(name: str, *args: str, db: dict) -> None:
    subprocess.run(  # noqa: S603 - our arguments, no shell
        [find_binary(name), *args], check=True, env=_env(db)
    )
