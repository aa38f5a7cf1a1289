#!/usr/bin/env python3
"""Build the wheel, install it outside the clone, and check that the demo it runs works.

    uv run python .ci/wheel_smoke.py          # or python3, with uv on PATH
    uv run python .ci/wheel_smoke.py --keep   # leave the temporary folder to look at

1. `uv build --wheel`; the wheel must hold every file git tracks under alongside/ (templates,
   static files, migrations, data) and the LICENSE.
2. A fresh virtual environment in a temporary folder, and the wheel installed into it.
3. `alongside demo --port <free port>` started in an empty folder, with none of the
   developer's settings; waited for; then the home page, a session page, its booking form,
   a static file and /health/ fetched, each checked for status 200 and a word of content;
   the data folder must be that empty folder's ./data.
4. The demo stopped by its process id (it takes its worker with it).

Only the standard library, so it runs with any Python 3.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Settings a developer's shell may have that the installed copy must do without.
CLEARED = {
    "DATA_DIR", "DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "SITE_ROOT", "DEBUG",
    "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONPATH", "TASKS_BACKEND", "REDIS_URL",
}  # fmt: skip
WAIT_SECONDS = 240
# `uv run` names its own binary in UV: a pyenv shim on PATH may find no uv in another folder.
UV = os.environ.get("UV") or shutil.which("uv") or "uv"


def say(line: str) -> None:
    print(f"wheel-smoke: {line}", flush=True)


def fail(line: str) -> None:
    raise SystemExit(f"wheel-smoke: FAILED: {line}")


def run(*command: str | Path, **kwargs) -> None:
    subprocess.run([str(c) for c in command], check=True, **kwargs)  # noqa: S603


def build(dist: Path) -> Path:
    run(UV, "build", "--wheel", "--out-dir", dist, cwd=ROOT)
    (wheel,) = dist.glob("alongside-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(
        ["git", "ls-files", "alongside"],  # noqa: S607
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    if missing := sorted(name for name in tracked if name not in names):
        fail(f"the wheel lacks {len(missing)} files, such as {missing[:5]}")
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        fail("the wheel lacks LICENSE")
    say(f"{wheel.name} holds all {len(tracked)} files under alongside/ and the LICENSE")
    return wheel


def install(wheel: Path, venv: Path, python: str) -> Path:
    run(UV, "venv", "--quiet", "--python", python, venv)
    run(UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheel)
    command = venv / "bin" / "alongside"
    if not command.exists():
        fail(f"no {command} after installing the wheel")
    shown = subprocess.run(  # noqa: S603 - the command just installed
        [command, "--help"], capture_output=True, text=True, check=True
    ).stdout
    if "Alongside's commands:" not in shown:
        fail(f"alongside --help says:\n{shown}")
    say("alongside --help lists Alongside's commands")
    return command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - our own demo
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def expect(base: str, path: str, word: str) -> str:
    status, body = fetch(base + path)
    if status != 200 or word not in body:
        fail(f"{path} answered {status}{'' if word in body else f' without {word!r}'}")
    say(f"{path} 200, with {word!r}")
    return body


def first_link(body: str, pattern: str) -> str | None:
    found = re.search(rf'href="({pattern})"', body)
    return found.group(1) if found else None


def wait_for(base: str, demo: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            fail(f"the demo stopped with {demo.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if fetch(base + "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    fail(f"the demo did not answer in {WAIT_SECONDS} s:\n{log.read_text()[-3000:]}")


def check_pages(base: str) -> None:
    home = expect(base, "/", "surgeries")
    directory = expect(base, "/surgeries/", "Dudley")
    sessions = re.findall(r'href="(/sessions/\d+/)"', home + directory)
    if not sessions:
        surgery = first_link(directory, r"/surgeries/[\w-]+/") or fail("no surgery listed")
        sessions = re.findall(r'href="(/sessions/\d+/)"', expect(base, surgery, "Dudley"))
    if not sessions:
        fail("no session linked from the home page, the directory or a surgery")
    # The first that takes bookings: the demo's next session may be on now, which says
    # "just come along" instead.
    for session in dict.fromkeys(sessions):
        status, session_page = fetch(base + session)
        if status == 200 and "Book" in session_page:
            break
    else:
        fail(f"no session linked from the home page offers to book: {sessions}")
    say(f"{session} 200, with 'Book'")
    form = first_link(session_page, rf"{session}book/[^\"]*") or f"{session}book/"
    expect(base, form.replace("&amp;", "&"), "<form")
    stylesheet = first_link(home, r"/static/[^\"]+\.css") or "/static/css/alongside.css"
    expect(base, stylesheet, "{")
    status, body = fetch(base + "/health/")
    health = json.loads(body)
    if health.get("files") != "ok":
        fail(f"/health/ says {health}")
    say(f"/health/ {status}: {health.get('status')}, files {health['files']}")


def stop(demo: subprocess.Popen) -> None:
    if demo.poll() is None:
        demo.send_signal(signal.SIGTERM)
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
    say(f"stopped the demo (pid {demo.pid})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default="3.12", help="the Python to install it for")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not Path(UV).is_file() and not shutil.which(UV):
        fail("uv is not on PATH")
    work = Path(tempfile.mkdtemp(prefix="alongside-wheel-"))
    demo = None
    try:
        command = install(build(work / "dist"), work / "venv", args.python)
        site = work / "site"
        site.mkdir()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        log = work / "demo.log"
        say(f"starting {command} demo --port {port} in {site} (log: {log})")
        with log.open("w") as out:
            demo = subprocess.Popen(  # noqa: S603 - the command just installed
                [command, "demo", "--port", str(port)],
                cwd=site, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for(base, demo, log)
        check_pages(base)
        if not (site / "data" / "alongside.sqlite3").exists():
            fail(f"no database in {site / 'data'}")
        say(f"the database is in {site / 'data'}, beside where the demo ran")
    finally:
        if demo is not None:
            stop(demo)
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    say("passed")


if __name__ == "__main__":
    main()
