"""Mixed traffic against Alongside under gunicorn, then a check of the database.

    uv run python benchmarks/load.py [--seconds 30] [--threads 6] [--postgres]

It makes a database of its own (a temporary SQLite file, or with --postgres a PostgreSQL
database `alongside_load` on 127.0.0.1, created and dropped here), loads the demo network,
starts gunicorn on a free port of 127.0.0.1 as `alongside serve` does (DEBUG off), and runs
client threads for a fixed time: browsing public pages, booking through the real form (with
its CSRF token; the anti-spam honeypot left empty, and ANTISPAM_MIN_SECONDS=0 and
ANTISPAM_RATE_LIMITS=0, the switches meant for tests and load tests, as every request
comes from one address within a second), cancelling through the booking's own link, and an
organiser recording help on the record form. Then it stops the server, runs the worker
until the queue is empty, and checks: no session over its places, one booking row for
every booking the server confirmed, every booking's email queued once and sent once (no two
deliveries with one Message-ID), no 5xx responses.
"""

from __future__ import annotations

import argparse
import html.parser
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "alongside_load"


class FormParser(html.parser.HTMLParser):
    """The fields of the first POST form on a page, with what a person would leave or pick."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = defaultdict(list)
        self.required: dict[str, str] = {}
        self.choices: dict[str, list[str]] = defaultdict(list)
        self.in_form = False
        self.select = None
        self._saved = (self.fields, self.required, self.choices)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            # The page's main form is the one with most fields, not a sign-out button.
            self.in_form = True
            self._saved = (self.fields, self.required, self.choices)
            self.fields, self.required, self.choices = defaultdict(list), {}, defaultdict(list)
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.choices[name].append(a.get("value", "on"))
                if "checked" in a:
                    self.fields[name].append(a.get("value", "on"))
                if "required" in a:
                    self.required[name] = kind
            elif kind not in ("submit", "button"):
                self.fields[name] = [a.get("value", "")]
                if "required" in a:
                    self.required[name] = kind
        elif tag == "textarea" and name:
            self.fields[name] = [""]
            if "required" in a:
                self.required[name] = "textarea"
        elif tag == "select" and name:
            self.select = name
            self.fields[name] = []
        elif tag == "option" and self.select:
            self.choices[self.select].append(a.get("value", ""))
            if "selected" in a:
                self.fields[self.select] = [a.get("value", "")]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form" and self.in_form:
            self.in_form = False
            if len(self._saved[0]) > len(self.fields):
                self.fields, self.required, self.choices = self._saved

    def filled(self, **answers: str | list[str]) -> dict[str, list[str]]:
        data = {k: list(v) for k, v in self.fields.items()}
        for name, kind in self.required.items():
            if data.get(name, [""]) in ([], [""]):
                options = [c for c in self.choices.get(name, []) if c]
                if options:
                    data[name] = [options[0]]
                elif kind == "number":
                    data[name] = ["30"]
                else:
                    data[name] = ["Load test"]
        for name, options in self.choices.items():
            if data.get(name) in (None, [], [""]) and name not in self.required:
                picks = [c for c in options if c]
                if picks and name in ("topics", "booking"):
                    data[name] = [picks[0]]
        for name, value in answers.items():
            data[name] = value if isinstance(value, list) else [value]
        return data


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base: str, stats: Stats, cookie: tuple[str, str] | None = None):
        self.base = base
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        if cookie:
            host = urllib.parse.urlsplit(base).hostname
            self.jar.set_cookie(
                http.cookiejar.Cookie(
                    0, cookie[0], cookie[1], None, False, host, False, False, "/", True,
                    False, None, False, None, None, {},
                )
            )  # fmt: skip

    def request(self, kind: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as r:
                status, text, location = r.status, r.read().decode(), ""
        except urllib.error.HTTPError as e:
            status, text, location = (
                e.code,
                e.read().decode(errors="replace"),
                e.headers.get("Location", ""),
            )
        self.stats.add(kind, status, time.perf_counter() - started)
        return status, text, location

    def form(self, kind: str, path: str) -> FormParser | None:
        status, text, _ = self.request(kind, path)
        if status != 200:
            return None
        parser = FormParser()
        parser.feed(text)
        return parser


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[kind][status] += 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def prepare(args, data_dir: Path, port: int) -> dict:
    os.environ.update(
        DATA_DIR=str(data_dir),
        DEBUG="0",
        SITE_ROOT=f"http://127.0.0.1:{port}",
        ANTISPAM_MIN_SECONDS="0",
        ANTISPAM_RATE_LIMITS="0",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="alongside.settings",
        STATIC_MANIFEST="1",
    )
    if args.postgres:
        pg(f"DROP DATABASE IF EXISTS {PG_NAME}")
        pg(f"CREATE DATABASE {PG_NAME}")
        os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{PG_NAME}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from alongside.demo.build import build_demo_network
    from alongside.surgeries.models import Session

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    build_demo_network(today=timezone.localdate())
    today = timezone.localdate()
    upcoming = Session.objects.filter(
        date__gt=today, surgery__approved_at__isnull=False, cancelled_at__isnull=True
    ).order_by("date", "pk")
    # A few sessions with few places, so bookings race for the last ones.
    targets = list(upcoming.values_list("pk", flat=True)[:4])
    for session_id in targets:
        taken = Session.objects.get(pk=session_id).bookings.filter(status="booked", role="help")
        Session.objects.filter(pk=session_id).update(help_places=taken.count() + 3)
    organiser = User.objects.get(username="melissa")
    record_session = (
        Session.objects.filter(surgery__organisers=organiser, date=today)
        .values_list("pk", flat=True)
        .first()
    )
    from alongside.helprecords.models import HelpRecord

    records_before = HelpRecord.objects.count()
    session = SessionStore()
    session[SESSION_KEY] = str(organiser.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = organiser.get_session_auth_hash()
    session.create()
    slugs = list(upcoming.values_list("surgery__slug", flat=True).distinct()[:5])
    from django.db import connections

    connections.close_all()
    return {
        "targets": targets,
        "record_session": record_session,
        "cookie": ("sessionid", session.session_key),
        "slugs": slugs,
        "records_before": records_before,
    }


def traffic(base: str, setup: dict, stats: Stats, until: float, n: int, made: list, lock):
    rng = random.Random(n)  # noqa: S311
    client = Client(base, stats)
    organiser = Client(base, stats, setup["cookie"])
    mine: list[str] = []
    count = 0
    while time.monotonic() < until and count < 10_000:
        count += 1
        roll = rng.random()
        if roll < 0.45:
            path = rng.choice(
                ["/", "/surgeries/"]
                + [f"/surgeries/{s}/" for s in setup["slugs"]]
                + [f"/sessions/{s}/" for s in setup["targets"]]
            )
            client.request("browse", path)
        elif roll < 0.75:
            session_id = rng.choice(setup["targets"])
            form = client.form("book-form", f"/sessions/{session_id}/book/")
            if form is None:
                continue
            email = f"load-{n}-{count}@example.org"
            data = form.filled(
                name=f"Load {n} {count}",
                email=email,
                goal="Set up a page for our group",
                website="",
            )
            status, _, location = client.request("book", f"/sessions/{session_id}/book/", data)
            if status == 302 and "/bookings/" in location:
                token = location.rstrip("/").rsplit("/", 1)[-1]
                mine.append(token)
                with lock:
                    made.append(email)
        elif roll < 0.85 and mine:
            token = mine.pop(rng.randrange(len(mine)))
            form = client.form("cancel-form", f"/bookings/{token}/cancel/")
            if form is not None:
                client.request("cancel", f"/bookings/{token}/cancel/", form.filled())
        elif setup["record_session"]:
            path = f"/sessions/{setup['record_session']}/help/new/"
            form = organiser.form("record-form", path)
            if form is not None:
                status, text, _ = organiser.request(
                    "record", path, form.filled(minutes="30", note="Set up a page")
                )
                if status == 200 and os.getenv("LOAD_DEBUG"):
                    print(re.findall(r"error-message[^>]*>([^<]*)<", text), form.filled())


def run_server(port: int, log: Path) -> subprocess.Popen:
    sys.path.insert(0, str(ROOT))
    from alongside.cli import gunicorn_options

    command = [sys.executable, "-m", "gunicorn", "alongside.wsgi:application"]
    command += gunicorn_options(f"127.0.0.1:{port}", 3)
    out = log.open("w")
    server = subprocess.Popen(command, env=os.environ.copy(), cwd=ROOT, stdout=out, stderr=out)  # noqa: S603
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        raise SystemExit(f"gunicorn did not start: see {log}")
    # The port opens before the workers have loaded the app: wait until it answers.
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=30):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"gunicorn did not answer: see {log}")


def drain_queue(log: Path) -> None:
    command = [sys.executable, "-m", "alongside.cli", "worker", "--batch", "--no-reload"]
    command += ["--queue-name", "*", "--no-startup-delay", "--interval", "0"]
    with log.open("w") as out:
        subprocess.run(command, env=os.environ.copy(), cwd=ROOT, stdout=out, stderr=out, check=True)  # noqa: S603


def check(
    made: list[str], stats: Stats, mail_log: Path, setup: dict
) -> list[tuple[str, bool, str]]:
    from django.db.models import Count, Q

    from alongside.bookings.models import Booking
    from alongside.outbox.models import Claim, Message
    from alongside.surgeries.models import Session

    results = []
    over = 0
    for s in Session.objects.annotate(
        helped=Count("bookings", filter=Q(bookings__status="booked", bookings__role="help")),
        surgeons=Count("bookings", filter=Q(bookings__status="booked", bookings__role="surgeon")),
    ):
        over += s.helped > s.help_places or s.surgeons > s.surgeon_places
    results.append(("no session over its places", over == 0, f"{over} over"))
    rows = Counter(Booking.objects.filter(email__in=made).values_list("email", flat=True))
    wrong = [e for e in made if rows[e] != 1]
    results.append(
        (
            "one booking row per confirmed booking",
            not wrong,
            f"{len(made)} booked, {len(wrong)} wrong",
        )
    )
    ids = list(Booking.objects.filter(email__in=made).values_list("pk", flat=True))
    # The demo network comes with messages of its own, one failed on purpose (an address that
    # bounced, for its organiser to see): only the emails this run made are checked.
    made_here = Message.objects.exclude(key__startswith="demo:")
    keys = set(made_here.values_list("key", flat=True))
    without = [i for i in ids if not any(k.startswith("booking-") and f":{i}:" in k for k in keys)]
    results.append(("every booking's email queued", not without, f"{len(without)} without"))
    states = Counter(made_here.values_list("state", flat=True))
    results.append(("every email sent", set(states) <= {"sent"}, dict(states)))
    sent_keys = Claim.objects.filter(key__in=keys).count()
    results.append(("one claim per email", sent_keys == len(keys), f"{len(keys)} emails"))
    delivered = Counter(re.findall(r"^Message-ID: (\S+)", mail_log.read_text(), re.M))
    twice = [m for m, n in delivered.items() if n > 1]
    results.append(
        (
            "no email delivered twice",
            not twice,
            f"{sum(delivered.values())} delivered, {len(twice)} twice",
        )
    )
    from alongside.helprecords.models import HelpRecord

    recorded = HelpRecord.objects.count() - setup["records_before"]
    answered = stats.statuses["record"][302]
    results.append(("one help record per one recorded", recorded == answered, f"{recorded}"))
    errors = sum(n for c in stats.statuses.values() for s, n in c.items() if s >= 500)
    results.append(("no server errors", errors == 0, f"{errors} 5xx"))
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(
        prefix="alongside-load-", delete=not os.getenv("LOAD_KEEP")
    ) as tmp:
        tmp = Path(tmp)
        try:
            setup = prepare(args, tmp, port)
            server = run_server(port, tmp / "server.log")
            # Each gunicorn worker's first pages are slow (imports, templates): not counted.
            warm = Client(f"http://127.0.0.1:{port}", Stats())
            for path in ["/", "/surgeries/", f"/sessions/{setup['targets'][0]}/book/"] * 6:
                warm.request("warm-up", path)
            stats, made, lock = Stats(), [], threading.Lock()
            started = time.monotonic()
            until = started + args.seconds
            threads = [
                threading.Thread(
                    target=traffic,
                    args=(f"http://127.0.0.1:{port}", setup, stats, until, n, made, lock),
                )
                for n in range(args.threads)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            took = time.monotonic() - started
            server.terminate()
            server.wait(timeout=30)
            drain_queue(tmp / "worker.log")

            engine = "PostgreSQL" if args.postgres else "SQLite"
            print(f"\n{engine}, {args.threads} threads, {took:.0f} s, gunicorn with 3 workers\n")
            print(
                f"{'kind':<12} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p99 ms':>7}  statuses"
            )
            total = 0
            for kind, times in sorted(stats.times.items()):
                times = sorted(times)
                total += len(times)
                p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
                errors = sum(n for s, n in stats.statuses[kind].items() if s >= 400)
                p50 = statistics.median(times)
                print(
                    f"{kind:<12} {len(times):>8} {errors:>6} {p50 * 1000:>7.0f}"
                    f" {p99 * 1000:>7.0f}  {dict(stats.statuses[kind])}"
                )
            print(f"{'all':<12} {total:>8}  ({total / took:.1f} requests/s)\n")
            results = check(made, stats, tmp / "worker.log", setup)
            for name, ok, detail in results:
                print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
            return 0 if all(ok for _, ok, _ in results) else 1
        finally:
            from django.db import connections

            connections.close_all()
            if args.postgres:
                pg(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
