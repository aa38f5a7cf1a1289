"""`alongside demo` as someone runs it: stopped, it leaves nothing running behind it."""

from __future__ import annotations

import io
import logging
import logging.config
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings

from alongside import cli
from alongside.bookings import tasks
from alongside.outbox.management.commands import worker
from alongside.test import run_due_tasks

# What the test run sets for itself, or what would point the demo at a real database.
NOT_PASSED = {"SITE_ROOT", "DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "DATA_DIR", "DEBUG"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            text = children.read_text()
        except OSError:
            continue
        for child in map(int, text.split()):
            found |= {child, *descendants(child)}
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped


def start_demo(data_dir: Path, port: int, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_PASSED}
    env["DATA_DIR"] = str(data_dir)
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "alongside.cli", "demo", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_until_it_answers(demo: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 90
    while not answers(port):
        assert demo.poll() is None, "the demo stopped before it answered"
        assert time.monotonic() < deadline, "the demo did not answer within 90 s"
        time.sleep(0.5)


@pytest.mark.slow  # a whole demo: migrations, the network, a server and a worker
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_sigterm_stops_the_demo_and_its_worker(tmp_path):
    port = free_port()
    demo = start_demo(tmp_path, port)
    children: set[int] = set()
    try:
        wait_until_it_answers(demo, port)
        children = descendants(demo.pid)
        assert children, "the demo started no worker"
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if alive(pid)]
        assert not answers(port)
    finally:
        for pid in [demo.pid, *children]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        demo.wait(timeout=10)


def a_data_dir(tmp_path: Path) -> Path:
    for name in ["alongside.sqlite3", "alongside.sqlite3-wal", "alongside.sqlite3-shm"]:
        (tmp_path / name).write_text("demo")
    (tmp_path / "secret_key").write_text("key")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "alongside-2026-12-01.sqlite3").write_text("kept")
    return tmp_path


KEPT = {"secret_key", "backups"}


def test_it_deletes_the_database_and_its_wal_and_shm_only(tmp_path):
    data_dir = a_data_dir(tmp_path)
    removed = cli.remove_sqlite_database(data_dir / "alongside.sqlite3")
    assert {p.name for p in removed} == {
        "alongside.sqlite3",
        "alongside.sqlite3-wal",
        "alongside.sqlite3-shm",
    }
    assert {p.name for p in data_dir.iterdir()} == KEPT
    assert (data_dir / "backups" / "alongside-2026-12-01.sqlite3").read_text() == "kept"


def test_it_deletes_nothing_when_there_is_no_database_yet(tmp_path):
    assert cli.remove_sqlite_database(tmp_path / "alongside.sqlite3") == []


def run_demo(data_dir: Path, *args: str) -> list[str]:
    """cli.demo with the server, the worker and Django's set-up left out: what it ran."""
    ran: list[str] = []

    def call_command(name, *a, **kw):
        if name == "migrate":
            ran.append(f"migrate, database there: {(data_dir / 'alongside.sqlite3').exists()}")
        elif name == "load_demo" and kw.get("verbosity", 1) >= 2:
            ran.append("load_demo, with counts")
        else:
            ran.append(name)

    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": data_dir / "alongside.sqlite3"}
    with (
        mock.patch.object(cli, "settings", SimpleNamespace(DATABASES={"default": database})),
        mock.patch.object(cli, "_setup"),
        mock.patch.object(cli.signal, "signal"),
        mock.patch.object(cli.connections, "close_all"),
        mock.patch.object(cli, "call_command", call_command),
        mock.patch.object(cli.subprocess, "Popen"),
    ):
        cli.demo(["--port", "8766", *args])
    return ran


def test_demo_fresh_deletes_the_database_before_migrating(tmp_path):
    data_dir = a_data_dir(tmp_path)
    ran = run_demo(data_dir, "--fresh")
    assert ran == ["migrate, database there: False", "load_demo", "runserver"]
    assert {p.name for p in data_dir.iterdir()} == KEPT


def test_demo_without_fresh_keeps_the_data(tmp_path):
    data_dir = a_data_dir(tmp_path)
    ran = run_demo(data_dir)
    assert ran == ["migrate, database there: True", "load_demo", "runserver"]
    assert (data_dir / "alongside.sqlite3").read_text() == "demo"


def test_demo_fresh_refuses_a_database_that_is_not_sqlite(tmp_path):
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "alongside"}
    with (
        mock.patch.object(cli, "settings", SimpleNamespace(DATABASES={"default": postgres})),
        mock.patch.object(cli, "_setup"),
        mock.patch.object(cli.signal, "signal"),
        mock.patch.object(cli, "call_command") as call_command,
        pytest.raises(SystemExit, match="only a SQLite database"),
    ):
        cli.demo(["--fresh"])
    call_command.assert_not_called()


def test_demo_says_where_it_is_and_how_to_sign_in_first(tmp_path, capsys):
    run_demo(a_data_dir(tmp_path), "--fresh")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "Alongside demo: http://127.0.0.1:8766/"
    assert lines[1] == "Sign in as the demo organiser at http://127.0.0.1:8766/accounts/login/ with"


def test_demo_gives_the_counts_only_when_verbose(tmp_path):
    assert "load_demo" in run_demo(tmp_path)
    assert "load_demo, with counts" in run_demo(tmp_path, "--verbose")


@pytest.mark.django_db
def test_the_worker_logs_each_task_once():
    # The worker's logging as the demo runs it: the settings' handlers, then db_worker's own
    # set-up, which adds a handler of its own when it finds none.
    logging.config.dictConfig(settings.LOGGING)
    console = io.StringIO()
    try:
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(console)
        worker.Command().configure_logging(verbosity=1)
        result = tasks.send_reminder.enqueue(0)  # no such booking: it does nothing
        assert run_due_tasks() == 1
    finally:
        logging.config.dictConfig(settings.LOGGING)
    lines = [line for line in console.getvalue().splitlines() if result.id in line]
    assert len(lines) == 1, lines
    assert "alongside.bookings.tasks.send_reminder state=SUCCESSFUL" in lines[0]
