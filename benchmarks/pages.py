"""Page speed: each public page type under wrk, against a floor measured in the same run.

    uv run python benchmarks/pages.py --data-dir /tmp/gen-small [--seconds 10]
    uv run python benchmarks/pages.py --database-url postgresql://postgres@127.0.0.1:5432/alongside_scale

It uses a database that already holds a network (`alongside generate`: the small tier on
SQLite in --data-dir, the large tier on PostgreSQL in --database-url), migrates it and
collects static files as `alongside serve` does, and starts gunicorn on a free port of
127.0.0.1 the same way (whitenoise, DEBUG off, 3 workers) with ROOT_URLCONF=benchmarks.floor,
which adds the floor: a view that reads one row and renders a small template through the
same middleware (benchmarks/floor.py; never mounted in the real app). Beside it, on another
port, a second gunicorn serves the same view with Django's default middleware and context
processors only (benchmarks/bare_settings.py): the bare floor, what Django itself costs on
this machine. The table starts with Alongside's floor as a ratio of the bare one.

Then, one page at a time, it runs `wrk` with a fixed number of connections for a fixed time
and prints requests per second, p50 and p99 latency, the ratio of the page's throughput to
the floor's, and the queries the page makes, as "kept/rendered": served from the page cache
to a visitor, and rendered afresh (counted in this process through Django's test client, on
the same database).

Cold figures: right after gunicorn starts, before anything is warmed, it times the first
request to the network figures and to the surgery's report ("workers just started,
snapshot present"). With --no-snapshot it first deletes those snapshots, so the first request
counts them ("no snapshot at all": the whole network takes tens of seconds).

Signed-in pages (--signed-in, on by default) are requested with a session cookie made here,
as the person it belongs to: the organiser of the network's busiest surgery (about 500
sessions and 5,000 bookings in the generated tiers), a coordinator of the region with the
most surgeries, and a network admin whose session used a second factor. The parts of their
pages that show no one in particular are kept until something changes, as a server keeps
them, so their queries are those of a second look. The console's board is asked for as htmx
asks: swapped in after a change ("board"), and refreshed every 5 s with the stamp of the
board the phone has ("board_poll": nothing has changed, and the answer is an empty 204).

wrk asks for no compression unless --gzip is given; browsers and calendar apps ask for gzip,
and a kept public page is then sent as it was kept, compressed (lib/pagecache.py).

With --slices N, each page's --seconds are cut into N slices, each run straight after as long
on the floor, and the page's ratio is the median of the N ratios (its req/s, p50 and p99 the
medians of its slices): a shared machine's speed changes from one second to the next (the
same loop of Python took 0.28 s to 0.48 s here, half a second apart), so a floor measured
minutes before a page can be a third faster or slower than the machine was for the page.

Pages rendered afresh: a second gunicorn with PAGE_CACHE_SECONDS=0 serves the same public
pages in the same run, so a visitor's first view is measured against the same floor.

Besides the pages of one surgery, it measures the lists of the whole network: the calendar,
its file, the feed of sessions, the API's list of sessions (with API_RATE_PER_IP raised, as
every request comes from one address) and the directory by topic.

Booking POST sends the real form (with its CSRF cookie and token, the honeypot empty) with a
new email address each time, from benchmarks/book.lua. Every request comes from one address
within a second, so it runs with ANTISPAM_MIN_SECONDS=0 and ANTISPAM_RATE_LIMITS=0, the
switches meant for load tests. It runs last, and the bookings it made and the emails they
queued are deleted afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DOMAIN = "pages.bench.invalid"
PAGES = [
    *["floor", "home", "directory", "surgery", "session", "book_get", "figures", "report"],
    # Lists of the whole network, as visitors, calendar apps, feed readers and the API's users
    # ask for them, each kept for visitors like the pages above (the API's answer in the
    # pages cache, behind its rate limit).
    *["calendar", "calendar_file", "feed", "api_sessions", "by_topic"],
]
SIGNED_IN = [
    "organise",  # the organiser's dashboard
    "coming",  # who is coming to one session
    "console",  # the day's console for the same session
    "board",  # its board, as htmx swaps it in after something changed
    "board_poll",  # its refresh every 5 s from each organiser's phone, when nothing changed
    "org_figs",  # the organiser's figures
    "report_in",  # the surgery's report, signed in
    "region",  # a coordinator's region
    "areas",  # a coordinator's areas
    "network",  # the network admin's dashboard
    "proposals",  # surgeries waiting for a network admin
]
# Asked for as htmx asks. The refresh carries the stamp of the board the phone has, got
# just before it is measured (`polled`).
HTMX = {"board", "board_poll"}
TARGET_P99_MS = 100
TARGET_FLOOR_RATIO = 0.7
# Each kind of page as a share of Alongside's floor, measured in the same run.
TARGETS = {"kept": 0.5, "fresh": 0.25, "signed": 0.2, "book_post": 0.3}
COLD_TARGET_MS = 200
SLOW_PAGES = ("figures", "report")


def use_database(args) -> None:
    """Django set up on the generated network: --database-url, or SQLite in --data-dir."""
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["DATA_DIR"] = str(Path(args.data_dir).resolve())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def setup_django(args, port: int) -> None:
    os.environ.update(
        DEBUG="0",
        SITE_ROOT=f"http://127.0.0.1:{port}",
        ANTISPAM_MIN_SECONDS="0",
        ANTISPAM_RATE_LIMITS="0",
        # Every request comes from one address: the API's limit for it would answer 429.
        API_RATE_PER_IP=str(10**9),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="alongside.settings",
        STATIC_MANIFEST="1",
        ROOT_URLCONF="benchmarks.floor",
    )
    if args.no_page_cache:  # every request renders its page: what a visitor's first view costs
        os.environ["PAGE_CACHE_SECONDS"] = "0"
    use_database(args)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def choose() -> dict:
    """A public surgery with help recorded and a session coming up with places left."""
    from django.utils import timezone

    from alongside.helprecords.models import HelpRecord
    from alongside.surgeries.models import Session, Surgery, Topic

    # The first public surgeries, in order, until one has help recorded: one cheap query each.
    for surgery in Surgery.objects.public().order_by("pk")[:50]:
        # From tomorrow: one of today's may have finished, and a finished one takes no booking.
        session = (
            Session.objects.upcoming()
            .filter(surgery=surgery, cancelled_at__isnull=True, date__gt=timezone.localdate())
            .first()
        )
        if session and HelpRecord.objects.filter(session__surgery=surgery).exists():
            break
    else:
        raise SystemExit("No public surgery with help recorded and a session to come.")
    surgery = session.surgery
    topic = Topic.objects.order_by("position", "pk").values_list("slug", flat=True).first()
    return {
        "floor": f"/benchmark-floor/{surgery.pk}/",
        "home": "/",
        "directory": "/surgeries/?" + urllib.parse.urlencode({"q": surgery.place_name}),
        "surgery": f"/surgeries/{surgery.slug}/",
        "session": f"/sessions/{session.pk}/",
        "book_get": f"/sessions/{session.pk}/book/",
        "book_post": f"/sessions/{session.pk}/book/",
        "figures": "/impact/",
        "report": f"/surgeries/{surgery.slug}/report/",
        "calendar": "/calendar/",
        "calendar_file": "/calendar.ics",
        "feed": "/feeds/sessions.atom",
        "api_sessions": "/api/v1/sessions",
        "by_topic": "/surgeries/?" + urllib.parse.urlencode({"topic": topic}),
        "surgery_id": surgery.pk,
    }


def choose_signed_in() -> tuple[dict, dict, str]:
    """The signed-in pages, who each is for, and what that person looks after."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from alongside.network.models import Coordinator
    from alongside.surgeries.models import Area, Organiser, Session, Surgery

    busiest = Session.objects.values("surgery").annotate(n=Count("pk")).order_by("-n", "surgery")[0]
    surgery = Surgery.objects.get(pk=busiest["surgery"])
    bookings = Session.objects.filter(surgery=surgery).aggregate(n=Count("bookings"))["n"]
    organiser = Organiser.objects.filter(surgery=surgery).order_by("pk")[0].user
    # The session with most people booked among the next ones, or else the last one held.
    upcoming = Session.objects.filter(surgery=surgery).upcoming()
    session = (
        upcoming.annotate(n=Count("bookings")).order_by("-n", "date").first()
        or Session.objects.filter(surgery=surgery).order_by("-date").first()
    )
    counts = Area.surgery_counts()
    regions = Area.objects.filter(parent__isnull=True, coordinators__isnull=False).distinct()
    region = max(regions, key=lambda a: (counts.get(a.pk, 0), -a.pk))
    coordinator = Coordinator.objects.filter(area=region).order_by("pk")[0].user
    admin = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk")[0]
    urls = {
        "organise": "/organise/",
        "coming": f"/sessions/{session.pk}/bookings/",
        "console": f"/sessions/{session.pk}/console/",
        "board": f"/sessions/{session.pk}/console/",
        "board_poll": f"/sessions/{session.pk}/console/",
        "org_figs": "/organise/impact/",
        "report_in": f"/surgeries/{surgery.slug}/report/",
        "region": f"/network/areas/{region.slug}/",
        "areas": "/network/areas/",
        "network": "/network/",
        "proposals": "/network/proposals/",
    }
    mine = ("organise", "coming", "console", "board", "board_poll", "org_figs", "report_in")
    who = {name: organiser for name in mine}
    who |= {"region": coordinator, "areas": coordinator, "network": admin, "proposals": admin}
    cookies = {user.pk: session_cookie(user, staff=user == admin) for user in who.values()}
    people = {name: cookies[user.pk] for name, user in who.items()}
    about = (
        f"organiser of {surgery.name} ({busiest['n']:,} sessions, {bookings:,} bookings; "
        f"session {session.pk} has {session.bookings.count()} booked); coordinator of "
        f"{region.name} ({counts.get(region.pk, 0):,} surgeries); network admin {admin.pk}"
    )
    return urls, people, about


def session_cookie(user, *, staff: bool) -> str:
    """A signed-in session, as the emailed code leaves one; a network admin's used a second
    factor too (alongside.lib.staff reads allauth's record of it). With the CSRF cookie that
    the browser has kept since its first page: without it, every page would make a new one."""
    from allauth.account.internal.flows.login import record_authentication
    from django.conf import settings
    from django.test import Client, RequestFactory
    from django.utils.crypto import get_random_string

    client = Client()
    client.force_login(user)
    session = client.session
    if staff:
        request = RequestFactory().get("/")
        request.session = session
        record_authentication(request, user, "mfa", type="totp")
    session.save()
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    )


def headers_of(name: str) -> dict[str, str]:
    return {"HX-Request": "true"} if name in HTMX else {}


_REFRESH = re.compile(r'hx-get="([^"]*\?seen=\w+)"')


def refresh_of(board: str) -> str:
    """The address a board refreshes itself from, with the stamp of what it shows."""
    return _REFRESH.search(board).group(1)


def polled(base: str, url: str, cookie: str, seconds: int = 0) -> str:
    """The board's refresh as the phone asks for it, with the stamp of the board it has.

    The board is made again each minute, so with `seconds` it waits, if it must, for a
    minute with that long left in it."""
    if 60 - dt.datetime.now(dt.UTC).second < seconds + 2:
        time.sleep(61 - dt.datetime.now(dt.UTC).second)
    headers = {"Cookie": cookie, "HX-Request": "true"}
    request = urllib.request.Request(base + url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310
        return refresh_of(r.read().decode())


def count_signed_in(urls: dict, people: dict) -> dict[str, str]:
    """Each signed-in page's queries, rendered, kept parts and all, as on a second look."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, url in urls.items():
        client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=people[name])
        headers = headers_of(name)
        page = client.get(url, headers=headers)
        if name == "board_poll":
            url = refresh_of(page.content.decode())
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url, headers=headers).status_code
        counts[name] = str(len(queries)) if status in (200, 204) else f"HTTP {status}"
    return counts


def count_queries(urls: dict) -> dict[str, str]:
    """Each page's queries as "kept/rendered": served from the page cache, and rendered."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name in PAGES:
        found = []
        for seconds in (0, 300):
            with override_settings(PAGE_CACHE_SECONDS=seconds):
                client.get(urls[name])  # snapshots and caches as a warm worker has them
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(urls[name]).status_code
            found.append(str(len(queries)) if status == 200 else f"HTTP {status}")
        rendered, kept = found
        counts[name] = f"{kept}/{rendered}"
    return counts


def forget_snapshots(surgery_id: int) -> int:
    from django.db.models import Q

    from alongside.impact.models import Snapshot

    keys = Q(key__startswith="network|") | Q(key__startswith=f"surgery:{surgery_id}|")
    return Snapshot.objects.filter(keys).delete()[0]


def start_server(
    port: int, workers: int, log: Path, root: Path = ROOT, python: str = sys.executable, **env: str
) -> subprocess.Popen:
    """gunicorn serving the checkout in `root` (this one, or another for benchmarks/compare.py)
    with that checkout's Python."""
    from alongside.cli import gunicorn_options

    command = [python, "-m", "gunicorn", "alongside.wsgi:application"]
    command += gunicorn_options(f"127.0.0.1:{port}", workers)
    command += ["--access-logfile", "/dev/null", "--timeout", "120"]
    out = log.open("w")
    environ = {**os.environ, **env}
    server = subprocess.Popen(command, env=environ, cwd=root, stdout=out, stderr=out)  # noqa: S603
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5):  # noqa: S310
                return server
        except urllib.error.HTTPError:  # answering; a 503 says the queue has no worker
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"gunicorn did not answer:\n{log.read_text()[-3000:]}")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_request(base: str, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=300) as r:  # noqa: S310
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, (time.perf_counter() - started) * 1000


def first_request_as(base: str, path: str, cookie: str) -> int:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=300) as r:  # noqa: S310
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def booking_form(base: str, path: str) -> tuple[str, str]:
    """The CSRF cookie and a filled form body, as a person's browser would send them."""
    from benchmarks.load import FormParser

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + path, timeout=60) as r:
        parser = FormParser()
        parser.feed(r.read().decode())
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    data = parser.filled(name="Page Speed", email=f"EMAIL@{BENCH_DOMAIN}")
    return cookie, urllib.parse.urlencode(data, doseq=True)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(
    args,
    url: str,
    script: Path | None = None,
    env: dict | None = None,
    cookie: str = "",
    headers: dict | None = None,
    seconds: int | None = None,
) -> dict:
    seconds = seconds or args.seconds
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for header, value in (headers or {}).items():
        command += ["-H", f"{header}: {value}"]
    if script:
        command += ["-s", str(script)]
    run = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    out = run.stdout
    if run.returncode:
        raise SystemExit(f"wrk failed: {run.stderr}{out}")
    found = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    found["bad"] = int(bad.group(1)) if bad else 0
    found["socket"] = errors.group(1).strip() if errors else ""
    return found


def measure(args, url: str, floor_url: str, **wrk) -> dict:
    """A page under wrk. With --slices, in slices, each straight after as long on the floor:
    its ratio is the median of theirs, its req/s, p50 and p99 the medians of its slices'."""
    if args.slices <= 1:
        return run_wrk(args, url, **wrk)
    seconds = max(1, args.seconds // args.slices)
    floors, pages = [], []
    for _ in range(args.slices):
        floors.append(run_wrk(args, floor_url, seconds=seconds))
        pages.append(run_wrk(args, url, seconds=seconds, **wrk))
    return {
        "rps": statistics.median(p["rps"] for p in pages),
        "p50": statistics.median(p["p50"] for p in pages),
        "p99": statistics.median(p["p99"] for p in pages),
        "requests": sum(p["requests"] for p in pages),
        "bad": sum(p["bad"] for p in pages),
        "socket": "; ".join(p["socket"] for p in pages if p["socket"]),
        "ratio": statistics.median(
            p["rps"] / f["rps"] for f, p in zip(floors, pages, strict=True) if f["rps"]
        ),
        "floors": [round(f["rps"]) for f in floors],
    }


def measure_bare(args, port: int, path: str, tmp: Path) -> dict:
    """The same floor view through Django's default middleware only (bare_settings.py)."""
    print("bare…", end=" ", flush=True)
    bare = {"DJANGO_SETTINGS_MODULE": "benchmarks.bare_settings"}
    server = start_server(port, args.workers, tmp / "bare.log", **bare)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(args.workers * 4):
            first_request(base, path)
        return run_wrk(args, base + path)
    finally:
        server.terminate()
        server.wait(timeout=30)


def drain(base: str) -> None:
    """Wait until the workers have answered what wrk left queued when it stopped."""
    for _ in range(60):
        status, ms = first_request(base, "/health/")
        if ms < 100:
            return


def warm(base: str, urls: dict, rounds: int) -> None:
    # Each gunicorn worker's first pages are slow (imports, templates): not counted.
    for _ in range(rounds):
        for name in PAGES:
            first_request(base, urls[name])


def clean_up(since: dt.datetime) -> int:
    from django_tasks_db.models import DBTaskResult

    from alongside.accounts.models import AuditEntry
    from alongside.bookings.models import Booking
    from alongside.impact.snapshots import prune_change_log

    made = Booking.objects.filter(email__iendswith=f"@{BENCH_DOMAIN}")
    ids = list(made.values_list("pk", flat=True))
    AuditEntry.objects.filter(created_at__gte=since).delete()
    DBTaskResult.objects.filter(enqueued_at__gte=since).delete()
    made.delete()
    # Each booking added a row to the change log; the daily job keeps the last per surgery.
    # Left, thousands of rows for one surgery made its figures' stamp read them all on SQLite,
    # whose statistics, gathered when the network was generated, said the log was small.
    prune_change_log()
    return len(ids)


def kind_of(name: str) -> str:
    if name in SIGNED_IN:
        return "signed"
    if name.startswith("fresh:"):
        return "fresh"
    return "book_post" if name == "book_post" else "kept"


def print_table(results: dict, counts: dict, cold: list, args, title: str, about: str) -> None:
    bare = results.pop("bare")
    floor = results["floor"]["rps"]
    print(f"\n{title}: wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, "
          f"gunicorn with {args.workers} workers")  # fmt: skip
    if args.slices > 1:
        print(f"Each page in {args.slices} slices, each after as long on the floor: its ratio "
              "is the median of theirs")  # fmt: skip
    if about:
        print(f"Signed in as: {about}")
    ratio = floor / bare["rps"] if bare["rps"] else 0
    note = "met" if ratio >= TARGET_FLOOR_RATIO else "MISSED"
    print(f"\nbare floor (Django's default middleware): {bare['rps']:.1f} req/s, "
          f"p50 {bare['p50']:.1f} ms, p99 {bare['p99']:.1f} ms")  # fmt: skip
    print(f"Alongside's floor: {floor:.1f} req/s, {ratio:.2f}× the bare floor "
          f"(target {TARGET_FLOOR_RATIO}×)  {note}\n")  # fmt: skip
    print(f"{'page':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'/floor':>7} "
          f"{'queries':>8}  target")  # fmt: skip
    for name, r in results.items():
        ratio = r.get("ratio", r["rps"] / floor if floor else 0)
        if name == "floor":
            target, p99_counts = 1.0, True
        else:
            target = TARGETS[kind_of(name)]
            p99_counts = kind_of(name) in ("kept", "signed")
        ok = ratio >= target and not r["bad"] and (r["p99"] < TARGET_P99_MS or not p99_counts)
        note = ("met" if ok else "MISSED") + f" (≥{target}×"
        note += f", p99 < {TARGET_P99_MS} ms)" if p99_counts else ")"
        if r["bad"] or r["socket"]:
            note += f" ({r['bad']} non-2xx/3xx; socket errors: {r['socket'] or 'none'})"
        queries = counts.get(name, "")
        if not r["requests"]:
            note = f"MISSED (no request answered in {args.seconds} s)"
        print(f"{name:<16} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} {ratio:>7.2f} "
              f"{queries!s:>8}  {note}")  # fmt: skip
    beside = [f for r in results.values() for f in r.get("floors", ())]
    if beside:
        print(f"The floor beside the pages: {min(beside):.0f} to {max(beside):.0f} req/s, "
              f"{floor:.0f} at the start")  # fmt: skip
    for label, status, ms in cold:
        note = "met" if status == 200 and ms < COLD_TARGET_MS else "MISSED"
        print(f"cold: {label}: {ms:.0f} ms (HTTP {status})  {note}")


def measure_fresh(args, port: int, urls: dict, wanted: list[str], tmp: Path) -> dict:
    """The public pages from a server that keeps none: each request renders its page."""
    server = start_server(port, args.workers, tmp / "fresh.log", PAGE_CACHE_SECONDS="0")
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        warm(base, urls, rounds=args.workers * 2)
        for name in [p for p in PAGES if p != "floor" and p in wanted]:
            print(f"fresh:{name}…", end=" ", flush=True)
            floor = base + urls["floor"]
            results[f"fresh:{name}"] = measure(args, base + urls[name], floor)
            drain(base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", help="DATA_DIR of a generated SQLite network")
    where.add_argument("--database-url", help="a generated PostgreSQL network")
    parser.add_argument("--seconds", type=int, default=10, help="per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn's, as in production")
    parser.add_argument(
        "--pages", default=",".join([*PAGES, *SIGNED_IN, "fresh", "book_post"]),
        help="which pages; 'fresh' adds the public ones rendered afresh",
    )  # fmt: skip
    parser.add_argument(
        "--no-snapshot", action="store_true", help="delete the figures' snapshots first"
    )
    parser.add_argument(
        "--no-page-cache", action="store_true", help="render every page, keep none for visitors"
    )
    parser.add_argument(
        "--gzip", action="store_true",
        help="ask for the public pages as browsers do, with Accept-Encoding: gzip",
    )  # fmt: skip
    parser.add_argument(
        "--slices", type=int, default=1,
        help="each page in this many slices, each after as long on the floor (see above)",
    )  # fmt: skip
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    port, bare_port, fresh_port = free_port(), free_port(), free_port()
    setup_django(args, port)
    from django.utils import timezone

    began = timezone.now()
    urls = choose()
    print(f"Pages: {urls}", flush=True)
    wanted = args.pages.split(",")
    signed_urls, people, about = {}, {}, ""
    if any(name in SIGNED_IN for name in wanted):
        signed_urls, people, about = choose_signed_in()
        signed_urls = {k: v for k, v in signed_urls.items() if k in wanted}
        print(f"Signed-in pages: {signed_urls}\n  as {about}", flush=True)
    base = f"http://127.0.0.1:{port}"
    cold = []
    if args.no_snapshot:
        print(f"Deleted {forget_snapshots(urls['surgery_id'])} snapshots.", flush=True)
    counts = {} if args.no_snapshot else count_queries(urls)
    print(f"Queries: {counts}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(port, args.workers, Path(tmp) / "server.log")
        try:
            label = "no snapshot" if args.no_snapshot else "workers just started, snapshot present"
            for name in SLOW_PAGES:
                status, ms = first_request(base, urls[name])
                cold.append((f"{name}, first request, {label}", status, ms))
            if not counts:
                counts = count_queries(urls)
            counts |= count_signed_in(signed_urls, people)
            counts |= {f"fresh:{k}": v.split("/")[-1] for k, v in counts.items() if k in PAGES}
            warm(base, urls, rounds=args.workers * 2)
            for _ in range(args.workers * 2):
                for name, url in signed_urls.items():
                    first_request_as(base, url, people[name])
            results = {"bare": measure_bare(args, bare_port, urls["floor"], Path(tmp))}
            for name in ["floor", *[p for p in PAGES if p != "floor" and p in wanted]]:
                print(f"{name}…", end=" ", flush=True)
                headers = {"Accept-Encoding": "gzip"} if args.gzip else None
                if name == "floor":
                    results[name] = run_wrk(args, base + urls[name], headers=headers)
                else:
                    floor = base + urls["floor"]
                    results[name] = measure(args, base + urls[name], floor, headers=headers)
                drain(base)
            for name, url in signed_urls.items():
                print(f"{name}…", end=" ", flush=True)
                if name == "board_poll":
                    url = polled(base, url, people[name], args.seconds)
                headers = headers_of(name)
                results[name] = measure(
                    args, base + url, base + urls["floor"], cookie=people[name], headers=headers
                )
                drain(base)
            if "book_post" in wanted:
                print("book_post…", end=" ", flush=True)
                cookie, body = booking_form(base, urls["book_post"])
                env = {"BENCH_COOKIE": cookie, "BENCH_BODY": body, "BENCH_REFERER": base}
                lua = ROOT / "benchmarks" / "book.lua"
                results["book_post"] = measure(
                    args, base + urls["book_post"], base + urls["floor"], script=lua, env=env
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
            if server.returncode not in (0, -15):
                print((Path(tmp) / "server.log").read_text()[-3000:])
        if "fresh" in wanted and not args.no_page_cache:
            results |= measure_fresh(args, fresh_port, urls, wanted, Path(tmp))
        print()
        print(f"Removed the {clean_up(began)} bookings the benchmark made, and their tasks.")
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print_table(results, counts, cold, args, args.title or engine, about)
    return 0


if __name__ == "__main__":
    sys.exit(main())
