"""How long the impact figures and pages take on a network with a million records of help.

    uv run python benchmarks/impact.py                      # 1,000,000 records (builds once)
    uv run python benchmarks/impact.py --records 100000     # a quicker run
    uv run python benchmarks/impact.py --rebuild            # throw the data away and build again
    uv run python benchmarks/impact.py --explain 3          # EXPLAIN ANALYZE the 3 slowest queries

Uses its own PostgreSQL database (alongside_bench by default, created if missing), never the
one in DATABASE_URL, so it can be run anywhere and re-run. The network is random but fixed
(seeded) and loaded with COPY. Prints the build time, then the first ("cold") and median of
five ("warm") timings, in milliseconds, with the number of queries for each. Pages read the
figures from snapshots (impact/snapshots.py): "cold" is a first visit, which counts them;
"warm" is every visit after, until something changes. `--raw` also times the counting alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Shared with `alongside generate`: creating the database, and COPY with defaults filled in.
from alongside.generate import copy, ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/alongside_bench"
WARM_RUNS = 5
AREAS = 20
SURGERIES = 1000
HELP_PER_SESSION = 10  # each with a record of help
SURGEONS_PER_SESSION = 3
FIRST_DATE = dt.date(2017, 1, 2)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    hosts = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# Building -----------------------------------------------------------------------------------


def build(records: int, seed: int = 2010) -> None:
    from django.db import connection, transaction

    from alongside.bookings.models import Booking
    from alongside.helprecords.models import FollowUp, HelpLink, HelpRecord
    from alongside.surgeries.models import Area, Organisation, Session, Surgery, Topic
    from alongside.surgeries.topics import ensure_topics

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    sessions = max(records // HELP_PER_SESSION, SURGERIES)
    people = [f"person{n}@example.org" for n in range(records * 2 // 5)]
    surgeons = [f"surgeon{n}@example.org" for n in range(max(records // 30, 100))]
    # Some surgeons were helped first: the same addresses appear among the people.
    surgeons += rng.sample(people, len(surgeons) // 10)
    kinds = [k for k, _ in Organisation.Kind.choices]
    statuses = [Booking.Status.NO_SHOW, Booking.Status.CANCELLED, Booking.Status.DECLINED]
    heard = ["", "Social media", "A poster or leaflet", "A friend or someone in my group"]
    using = [c for c, _ in FollowUp.StillUsing.choices]

    with transaction.atomic():
        tables = ", ".join(
            m._meta.db_table for m in (Area, Organisation, Surgery, Session, Booking, HelpRecord)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        ensure_topics(Topic)
        topics = list(Topic.objects.values_list("pk", flat=True))
        organisations = records // 50
        copy(Area, ["id", "name", "slug"], ((n, f"Area {n}", f"area-{n}") for n in range(1, 21)))
        copy(
            Organisation,
            ["id", "name", "kind"],
            ((n, f"Group {n}", rng.choice(kinds)) for n in range(1, organisations + 1)),
        )
        copy(
            Surgery,
            ["id", "name", "slug", "place_name", "description", "who_for", "contact_email", "area",
             "approved_at"],
            (
                (n, f"Surgery {n}", f"surgery-{n}", "Town", "Help.", "Groups.", "s@example.org",
                 n % AREAS + 1, now)
                for n in range(1, SURGERIES + 1)
            ),
        )  # fmt: skip

        def session_rows():
            for n in range(sessions):
                surgery, k = n % SURGERIES + 1, n // SURGERIES
                date = FIRST_DATE + dt.timedelta(days=k * 28 + surgery % 28)
                cancelled = now if rng.random() < 0.01 else None
                yield (n + 1, surgery, date, dt.time(10), dt.time(12), 12, 4, cancelled)

        columns = ["id", "surgery", "date", "start_time", "end_time", "help_places"]
        copy(Session, [*columns, "surgeon_places", "cancelled_at"], session_rows())

        # Bookings and records are made together so that each record points at its session's.
        record_rows, topic_rows, link_rows, follow_rows = [], [], [], []

        def booking_rows():
            pk = record = 0
            for session in range(1, sessions + 1):
                surgeon_ids = []
                for _ in range(SURGEONS_PER_SESSION):
                    pk += 1
                    surgeon_ids.append(pk)
                    email = rng.choice(surgeons)
                    yield (pk, session, "surgeon", "attended", "Surgeon", email, None, "")
                for h in range(HELP_PER_SESSION + 1):
                    pk += 1
                    walk_in = rng.random() < 0.02
                    email = "" if walk_in else rng.choice(people)
                    if rng.random() < 0.05:
                        email = email.upper()
                    organisation = rng.randint(1, organisations) if rng.random() < 0.8 else None
                    status = "attended" if h < HELP_PER_SESSION else rng.choice(statuses)
                    yield (pk, session, "help", status, "Person", email, organisation,
                           rng.choice(heard))  # fmt: skip
                    if h < HELP_PER_SESSION and record < records:
                        record += 1
                        minutes = rng.randint(10, 90) if rng.random() < 0.8 else None
                        surgeon = rng.choice(surgeon_ids)
                        record_rows.append((record, session, pk, surgeon, "Helped.", minutes))
                        topic_rows.append((record, rng.choice(topics)))
                        if rng.random() < 0.2:
                            link_rows.append((record, f"https://example.org/{record}"))
                        if rng.random() < 0.1:
                            follow_rows.append(
                                (record, rng.choice(using), rng.randint(1, 5), rng.randint(1, 5))
                            )

        columns = ["id", "session", "role", "status", "name", "email", "organisation"]
        copy(Booking, [*columns, "heard_about"], booking_rows())
        copy(HelpRecord, ["id", "session", "booking", "surgeon", "note", "minutes"], record_rows)
        through = HelpRecord.topics.through
        copy(through, ["helprecord", "topic"], topic_rows)
        copy(HelpLink, ["help_record", "url"], link_rows)
        columns = ["help_record", "still_using", "confidence_before", "confidence_now"]
        copy(FollowUp, columns, follow_rows)
        with connection.cursor() as cursor:
            for model in (Area, Organisation, Surgery, Session, Booking, HelpRecord):
                table = model._meta.db_table
                # Table names come from the models, not from outside.
                last = f"SELECT coalesce(max(id), 1) FROM {table}"  # noqa: S608
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), ({last}))")
    # Fresh statistics and a visibility map, as a database that has been running a while.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# Timing -------------------------------------------------------------------------------------


def measure(call: Callable[[], object]) -> tuple[float, float, int, list[dict]] | None:
    """(cold ms, warm median ms, queries, the warm runs' queries), or None if a query timed out."""
    from django.db import OperationalError, connection
    from django.test.utils import CaptureQueriesContext

    times, captured = [], []
    for _ in range(1 + WARM_RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            try:
                call()
            except OperationalError as e:
                if "statement timeout" not in str(e):
                    raise
                return None
            times.append((time.perf_counter() - start) * 1000)
        captured.append(ctx.captured_queries)
    return times[0], statistics.median(times[1:]), len(captured[0]), captured[-1]


def page(client, url: str) -> Callable[[], object]:
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="build again even if present")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="EXPLAIN ANALYZE the N slowest queries")  # fmt: skip
    parser.add_argument("--timeout", type=int, default=60, metavar="SECONDS",
                        help="give up on a query after this long")  # fmt: skip
    parser.add_argument("--raw", action="store_true",
                        help="also time figures() and breakdowns() without snapshots")  # fmt: skip
    parser.add_argument("--no-jit", action="store_true",
                        help="turn PostgreSQL's JIT compilation off for the timings")  # fmt: skip
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    ensure_database(args.database_url)
    setup_django(args.database_url)

    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import Client
    from django.urls import Resolver404, resolve

    from alongside.helprecords.models import HelpRecord
    from alongside.impact.figures import breakdowns, figures
    from alongside.impact.models import Snapshot
    from alongside.impact.snapshots import impact_for
    from alongside.surgeries.models import Area, Surgery

    present = HelpRecord.objects.count()
    if args.rebuild or present != args.records:
        print(f"Building a network with {args.records:,} records of help (had {present:,})…")
        start = time.perf_counter()
        build(args.records)
        print(f"Built in {time.perf_counter() - start:.1f} s")
    else:
        print(f"Using the {present:,} records of help already built (--rebuild to build again)")

    def time_out(connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {args.timeout * 1000}")
            if args.no_jit:
                cursor.execute("SET jit = off")

    # On every connection: the test client's requests may close and reopen it.
    connection_created.connect(time_out)
    connection.close()
    # A timed-out page is shown in the table; its traceback would only hide it.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    surgery = Surgery.objects.get(slug="surgery-1")
    area = Area.objects.get(slug="area-2")  # holds surgery-1
    client = Client()
    cases: list[tuple[str, Callable[[], object]]] = []
    if args.raw:
        cases += [
            ("figures() network", lambda: figures()),
            ("figures(surgery)", lambda: figures(surgery)),
            ("figures(area)", lambda: figures(surgeries=area.surgeries_within())),
            ("breakdowns() network", lambda: breakdowns()),
            ("breakdowns(surgery)", lambda: breakdowns(surgery)),
            ("breakdowns(area)", lambda: breakdowns(area.surgeries_within())),
        ]

    cases += [
        ("impact_for(network)", lambda: impact_for(None)),
        ("impact_for(area)", lambda: impact_for(area.surgeries_within())),
        ("impact_for(surgery)", lambda: impact_for(surgery)),
    ]
    urls = ["/", "/impact/", f"/areas/{area.slug}/", f"/surgeries/{surgery.slug}/",
            f"/surgeries/{surgery.slug}/impact/", f"/surgeries/{surgery.slug}/report/"]  # fmt: skip
    for url in urls:
        try:
            resolve(url)
        except Resolver404:
            print(f"Skipping {url}: no such page yet")
            continue
        cases.append((f"GET {url}", page(client, url)))

    slow: list[tuple[float, str]] = []
    print(f"\n{'what':<34} {'cold ms':>9} {'warm ms':>9} {'queries':>8}")
    for name, call in cases:
        # "cold": no snapshot yet, so the figures are counted; "warm": the snapshot is read.
        Snapshot.objects.all().delete()
        measured = measure(call)
        if measured is None:
            print(f"{name:<34} {'> ' + str(args.timeout) + ' s':>9} {'':>9} {'':>8}")
            continue
        cold, warm, queries, last = measured
        print(f"{name:<34} {cold:>9.1f} {warm:>9.1f} {queries:>8}")
        slow += [(float(q["time"]) * 1000, q["sql"]) for q in last]

    seen: set[str] = set()
    worst = [(ms, sql) for ms, sql in sorted(slow, reverse=True)
             if not (sql in seen or seen.add(sql))]  # fmt: skip
    for ms, sql in worst[: args.explain]:
        print(f"\n--- {ms:.0f} ms ---\n{sql}\n")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
