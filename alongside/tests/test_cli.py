"""`alongside`'s help, and the progress `backup` and `generate` show to someone watching."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from alongside import cli
from alongside.lib import backup as backups
from alongside.lib.progress import Progress


class Terminal(io.StringIO):
    """stderr as a terminal shows it."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h"], ["help"]])
def test_help_lists_alongsides_own_commands_first_each_with_one_line(argv, capsys):
    cli.main(argv)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Usage: alongside <command> [options]"
    for name in ("demo", "serve", "worker", "backup", "restore", "generate"):
        assert any(line.split()[:1] == [name] and len(line.split()) > 2 for line in lines), name
    assert out.index("demo") < out.index("Any Django management command works too")
    assert "alongside help --django" in out
    # Django's own list is not in it.
    assert "[staticfiles]" not in out


def test_help_django_lists_djangos_commands(capsys):
    cli.main(["help", "--django"])
    out = capsys.readouterr().out
    assert "[staticfiles]" in out and "collectstatic" in out


def test_help_for_one_command_explains_it(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["help", "backup"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert "usage: alongside backup" in out and "--quiet" in out


def test_the_installed_command_prints_its_help_with_no_arguments():
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "alongside.cli"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("Usage: alongside <command>")


def test_progress_is_quiet_off_a_terminal_or_when_asked():
    pipe = io.StringIO()
    Progress(pipe).say("Copying")
    assert pipe.getvalue() == ""
    terminal = Terminal()
    Progress(terminal, quiet=True).say("Copying")
    assert terminal.getvalue() == ""
    shown = Progress(terminal)
    shown.fraction("Copied", 5, 10)
    shown.say("Done")
    assert terminal.getvalue() == "\rCopied: 50% (5 of 10)\nDone\n"


def _sqlite_database(path, rows: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x TEXT)")
        db.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * rows)
    db.close()


def test_a_sqlite_backup_shows_how_far_it_has_copied(tmp_path):
    source, target = tmp_path / "source.sqlite3", tmp_path / "copy.sqlite3"
    _sqlite_database(source, 2000)
    terminal = Terminal()
    backups._sqlite_copy(source, target, progress=Progress(terminal))
    shown = terminal.getvalue()
    assert shown.count("\rCopied: ") > 10
    assert "Copied: 100%" in shown
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 2000
    db.close()


@pytest.mark.django_db
def test_alongside_backup_says_each_step_at_a_terminal_and_nothing_with_quiet(
    settings, tmp_path, capsys, monkeypatch
):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(sys, "stderr", Terminal())
    cli.backup([])
    shown = sys.stderr.getvalue()
    if connection.vendor == "sqlite":
        assert "Copying the SQLite database" in shown and "Copied: 100%" in shown
    else:  # pg_dump gives no fraction: each step is said as it starts
        assert "Dumping the PostgreSQL database" in shown
    assert "Keeping the newest" in shown
    assert "Backed up to" in capsys.readouterr().out

    monkeypatch.setattr(sys, "stderr", Terminal())
    cli.backup(["--quiet", str(tmp_path / "quiet.sqlite3")])
    assert sys.stderr.getvalue() == ""
    assert "Backed up to" in capsys.readouterr().out


@pytest.mark.django_db
def test_generate_shows_each_phase_with_its_count_and_then_a_summary(monkeypatch):
    out, err = io.StringIO(), Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    call_command(
        "generate", "--tier", "tiny", "--today", dt.date(2026, 3, 4).isoformat(),
        "--surgeries", "5", "--sessions", "40", "--bookings", "200", "--help-records", "50",
        stdout=out,
    )  # fmt: skip
    assert "Generating 5 surgeries" in err.getvalue()
    assert any("bookings" in line and "200 rows" in line for line in err.getvalue().splitlines())
    assert "Generated 5 surgeries" in out.getvalue()

    quiet = Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    call_command(
        "generate", "--tier", "tiny", "--replace", "--quiet",
        "--surgeries", "5", "--sessions", "40", "--bookings", "200", "--help-records", "50",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert quiet.getvalue() == ""
