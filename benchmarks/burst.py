"""1,000 people book a session with 20 places at the same moment, through the real server.

    uv run python benchmarks/burst.py               # SQLite: a fresh file in a temporary directory
    uv run python benchmarks/burst.py --postgres    # PostgreSQL: its own database, dropped after

The app runs as in production: gunicorn with the project's WSGI app, DEBUG off, on
127.0.0.1 and a free port. `--workers 4 --threads 8` (gthread) by default: four processes,
so Python's GIL does not make requests take turns, each serving eight requests at a time,
so 32 bookings are in the database at once, which is what makes the session-row lock (and
on SQLite the IMMEDIATE write lock) matter; more queue in the listen backlog, as they would
behind a real server.

Each person behaves as a browser does: they open the booking form (getting their own CSRF
cookie and token and the form's signed "shown at" time), leave the hidden honeypot box
empty, and send it back no sooner than the form's minimum fill time
(ANTISPAM_MIN_SECONDS). The per-address rate limit is turned off (ANTISPAM_RATE_LIMITS=0):
all 1,000 people come from 127.0.0.1, which the limit rightly takes for one robot. The
1,000 POSTs wait at a barrier on connections already open, and go together.

Then the database must show exactly 20 booked and 980 waiting, no response may be a
server error, and every redirect must point at its own one of the session's bookings.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/alongside_burst"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _maintenance(url: str):
    """A connection to the server's maintenance database, and the name of the URL's."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(maintenance, autocommit=True), sql.Identifier(parts.path.lstrip("/"))


def drop_database(url: str) -> None:
    from psycopg import sql

    conn, name = _maintenance(url)
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def make_database_afresh(url: str) -> None:
    """Drop the database the URL names, if it is there, and create it empty: with psycopg
    alone, as Django is not set up yet (its settings read the URL after this)."""
    from psycopg import sql

    drop_database(url)
    conn, name = _maintenance(url)
    with conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def set_up(places: int) -> int:
    """Migrate, and make one public surgery with one session a week ahead. Its id."""
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from alongside.surgeries.models import Session, Surgery, Topic, Venue
    from alongside.surgeries.topics import ensure_topics

    call_command("migrate", interactive=False, verbosity=0)
    ensure_topics(Topic)
    surgery = Surgery.objects.create(
        name="Burst Social Media Surgery",
        slug="burst",
        place_name="Dudley",
        description="Free help with the web.",
        who_for="Community groups.",
        contact_email="burst@example.org",
        approved_at=timezone.now(),
    )
    venue = Venue.objects.create(surgery=surgery, name="Library", address="1 High Street")
    session = Session.objects.create(
        surgery=surgery,
        date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(18),
        end_time=dt.time(20),
        venue=venue,
        help_places=places,
        surgeon_places=3,
    )
    connections.close_all()
    return session.pk


def start_server(port: int, env: dict, workers: int, threads: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "alongside.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread", "--backlog", "2048", "--timeout", "120",
        "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - our own interpreter


def wait_until_up(port: int, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("The server did not start.")


TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_RE = re.compile(r'name="form_started" value="([^"]*)"')
TOPIC_RE = re.compile(r'name="topics" value="(\d+)"')
ERROR_RE = re.compile(r'class="error-summary".*?<li>(?:<a [^>]*>)?([^<]+)', re.S)


def open_form(port: int, path: str) -> dict:
    """What a browser has after showing the form: its cookie, token and hidden fields."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    cookies = [
        value.split(";", 1)[0]
        for name, value in response.getheaders()
        if name.lower() == "set-cookie"
    ]
    started = STARTED_RE.search(html)
    return {
        "cookie": "; ".join(cookies),
        "csrfmiddlewaretoken": TOKEN_RE.search(html).group(1),
        "form_started": started.group(1) if started else "",
        "honeypot": 'name="website"' in html,
        "topics": TOPIC_RE.findall(html),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url", default=POSTGRES_URL)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--places", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    # A socket each for 1,000 people at once.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))

    data_dir = tempfile.mkdtemp(prefix="alongside-burst-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alongside.settings",
        "DATA_DIR": data_dir,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ANTISPAM_RATE_LIMITS": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    if args.postgres:
        make_database_afresh(args.database_url)
        env["DATABASE_URL"] = args.database_url
    os.environ.clear()
    os.environ.update(env)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.people:,} people, {args.places} places, {database}, gunicorn "
          f"--workers {args.workers} --threads {args.threads}")  # fmt: skip

    session_id = set_up(args.places)
    port = free_port()
    env["SITE_ROOT"] = f"http://127.0.0.1:{port}"
    path = f"/sessions/{session_id}/book/"
    server = start_server(port, env, args.workers, args.threads)
    try:
        wait_until_up(port, path)
        from django.conf import settings

        started = time.perf_counter()
        with ThreadPoolExecutor(args.workers * args.threads) as pool:
            forms = list(pool.map(lambda _: open_form(port, path), range(args.people)))
        shown = time.perf_counter() - started
        print(f"Opened {len(forms):,} booking forms in {shown:.1f} s "
              f"(honeypot on the form: {'yes' if forms[0]['honeypot'] else 'no'})")  # fmt: skip
        # Nobody sends a form sooner than a person could fill it in: the last one shown,
        # too.
        time.sleep(settings.ANTISPAM_MIN_SECONDS + 0.5)
        results = burst(port, path, forms)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ok = check(session_id, results, args.places)
    from django.db import connections

    connections.close_all()
    if args.postgres:
        drop_database(args.database_url)
    shutil.rmtree(data_dir, ignore_errors=True)
    sys.exit(0 if ok else 1)


def burst(port: int, path: str, forms: list[dict]) -> list[tuple[int, str, float]]:
    """Every POST on an open connection, released together. (status, location, seconds)."""
    people = len(forms)
    gate = threading.Barrier(people + 1)
    results: list[tuple[int, str, float]] = [(0, "", 0.0)] * people

    def book(n: int) -> None:
        form = forms[n]
        fields = {
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
            "form_started": form["form_started"],
            "website": "",  # the honeypot: people leave it empty
            "name": f"Person {n}",
            "email": f"person{n}@example.org",
            "organisation": "",
            "organisation_kind": "",
            "goal": "Get more volunteers for our litter picks",
            "web_use": "some",
            # A box or two ticked, as people do.
            "topics": form["topics"][n % len(form["topics"]) :][:2],
            "heard_about": "",
            "access_needs": "",
        }
        body = urllib.parse.urlencode(fields, doseq=True)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": form["cookie"],
        }
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            conn.connect()
            gate.wait()
            began = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            html = response.read().decode(errors="replace")
            # A form sent back shows why: keep its first message.
            why = ERROR_RE.search(html)
            where = response.getheader("Location") or (why.group(1).strip() if why else "")
            results[n] = (response.status, where, time.perf_counter() - began)
        except Exception as e:  # noqa: BLE001 - counted as a failure below
            results[n] = (-1, repr(e), 0.0)
        finally:
            conn.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(people)]
    for t in threads:
        t.start()
    gate.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    latencies = sorted(r[2] for r in results if r[0] > 0)
    print(f"{people:,} POSTs answered in {took:.1f} s ({people / took:.0f} a second)")
    if latencies:
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"Response time: median {statistics.median(latencies):.2f} s, "
              f"95% {p95:.2f} s, slowest {latencies[-1]:.2f} s")  # fmt: skip
    return results


def check(session_id: int, results: list[tuple[int, str, float]], places: int) -> bool:
    from collections import Counter

    from alongside.bookings.models import Booking

    statuses = Counter(r[0] for r in results)
    print("Responses:", ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    rows = dict(
        Booking.objects.filter(session_id=session_id).values_list("pk", "status").order_by()
    )
    counts = Counter(rows.values())
    print("Bookings:", ", ".join(f"{s}: {n}" for s, n in sorted(counts.items())))
    redirected = [Booking.pk_from_token(r[1].rstrip("/").rsplit("/", 1)[-1])
                  for r in results if 200 <= r[0] < 400 and r[1]]  # fmt: skip
    others = [r for r in results if not (300 <= r[0] < 400)]
    problems = []
    if any(r[0] >= 500 or r[0] < 0 for r in results):
        problems.append("server errors or failed requests")
    if counts.get("booked", 0) != places:
        problems.append(f"{counts.get('booked', 0)} booked, not {places}")
    if counts.get("waiting", 0) != len(results) - places:
        problems.append(f"{counts.get('waiting', 0)} waiting, not {len(results) - places}")
    if sorted(p for p in redirected if p) != sorted(rows) or len(set(redirected)) != len(rows):
        problems.append("the redirects do not match the bookings one to one")
    if others:
        problems.append(f"{len(others)} answers were not a redirect, e.g. {others[0][:2]}")
    print("OK" if not problems else "FAILED: " + "; ".join(problems))
    return not problems


if __name__ == "__main__":
    main()
