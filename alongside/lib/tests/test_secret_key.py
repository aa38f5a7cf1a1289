"""The secret key: made once into the data directory, private, reused, and never raced."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from alongside import cli
from alongside.lib import secretkey


def test_a_new_key_is_random_long_and_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "secret_key"
    key = secretkey.read_or_create(path)
    assert len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secretkey.read_or_create(tmp_path / "other" / "secret_key") != key


def test_the_key_is_reused_on_the_next_start(tmp_path):
    path = tmp_path / "secret_key"
    key = secretkey.read_or_create(path)
    assert secretkey.read_or_create(path) == key
    assert path.read_text().strip() == key


def test_a_key_put_in_the_file_by_hand_is_used(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("a key from the operator's password manager\n")
    assert secretkey.read_or_create(path) == "a key from the operator's password manager"


def test_an_empty_key_file_is_refused_rather_than_used(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("")
    with pytest.raises(RuntimeError, match="is empty"):
        secretkey.read_or_create(path)


def test_the_second_of_two_starts_at_once_takes_the_first_ones_key(tmp_path, monkeypatch):
    path = tmp_path / "secret_key"
    link = os.link

    def first_start_wins_meanwhile(source, target):
        # The other process finishes between this one's look for the file and its link.
        target.write_text("the first start's key\n")
        link(source, target)

    monkeypatch.setattr(secretkey.os, "link", first_start_wins_meanwhile)
    assert secretkey.read_or_create(path) == "the first start's key"
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_many_starts_at_once_end_with_one_key(tmp_path):
    path = tmp_path / "secret_key"
    starts = 16
    barrier = threading.Barrier(starts)
    keys: list[str] = []

    def start() -> None:
        barrier.wait()
        keys.append(secretkey.read_or_create(path))

    threads = [threading.Thread(target=start) for _ in range(starts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == starts
    assert set(keys) == {path.read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_worker_may_start_with_a_key_given_or_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    problem = cli.worker_key_problem()
    assert problem is not None
    assert "SECRET_KEY" in problem
    assert str(tmp_path / "secret_key") in problem
    assert not (tmp_path / "secret_key").exists()

    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "elsewhere"))
    assert cli.worker_key_problem() is None
    monkeypatch.delenv("SECRET_KEY_FILE")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    assert cli.worker_key_problem() is None
    monkeypatch.delenv("SECRET_KEY")
    secretkey.read_or_create(tmp_path / "secret_key")
    assert cli.worker_key_problem() is None


def _without_key(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE")}
    return {**env, "DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "alongside.settings"}


@pytest.mark.slow  # starts Python in another process
def test_a_worker_refuses_to_start_without_a_key(tmp_path):
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "alongside.cli", "worker", "--batch"],
        env=_without_key(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "alongside worker: no secret key: set SECRET_KEY or SECRET_KEY_FILE to the web "
        f"server's key, or run `alongside serve` once, which makes {tmp_path / 'secret_key'}"
    ]
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.slow  # starts Python in other processes
def test_settings_without_a_key_make_one_and_every_later_start_reads_it(tmp_path):
    print_key = "from django.conf import settings; print(settings.SECRET_KEY)"
    keys = [
        subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", print_key],
            env=_without_key(tmp_path),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert keys[0] == keys[1] == (tmp_path / "secret_key").read_text().strip()
    assert len(keys[0]) >= 50


@pytest.mark.slow  # starts Python in another process
def test_an_empty_secret_key_file_stops_django_rather_than_making_a_key(tmp_path):
    empty = tmp_path / "given"
    empty.write_text("")
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "alongside.cli", "check"],
        env={**_without_key(tmp_path), "SECRET_KEY_FILE": str(empty)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"SECRET_KEY_FILE {empty} is empty" in result.stderr
    assert not (tmp_path / "secret_key").exists()
