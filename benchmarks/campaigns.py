"""Campaign speed: a campaign of 200 chapters and 200,000 donations, its imports and its page.

    uv run python benchmarks/campaigns.py --data-dir /tmp/bench-campaigns
    uv run python benchmarks/campaigns.py --data-dir /tmp/bench-small --chapters 20 --donations 5000
    uv run python benchmarks/campaigns.py --database-url postgresql://postgres@127.0.0.1:5432/alongside_campaigns

It migrates the database (SQLite in --data-dir, or PostgreSQL), and builds one campaign,
"benchmark-campaign", with its chapters in five currencies, a rate for each, and the
donations from every stream, put in with bulk_create in batches. A campaign of that name
from an earlier run is reused when it has the same size, and rebuilt otherwise; nothing else
in the database is touched. It then measures:

- inserting: the donations' bulk_create, in rows per second. This is the floor for imports:
  nothing parses or checks a row on the way in.
- importing: a 20,000-row payment provider's export (CSV) through the app's own import
  (`money.draft_save` then `money.import_commit`, as the import page does), in rows per
  second and as a share of the floor; then the same file again, which must add nothing.
- the public campaign page, /campaigns/<slug>/, under load, against the floor page of
  benchmarks/floor.py (one row, one small template, the same middleware), through gunicorn
  started as benchmarks/pages.py starts it, on 127.0.0.1 only: requests per second, p50 and
  p99, and the ratio to the floor. With `wrk` installed it is used, as pages.py does;
  without it, a bounded load of keep-alive connections from this process (the ratio to the
  floor is then the figure to read: both are measured the same way). "skipped" when the
  URL does not resolve yet. Its queries are counted as "kept/rendered", as in pages.py.

Not part of pytest. Amounts are Decimal from the CSV to the database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.client
import io
import random
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import drain, first_request, run_wrk, setup_django, start_server  # noqa: E402

SLUG = "benchmark-campaign"
CENT = Decimal("0.01")
BATCH = 10_000
# (currency, time zone, country, what one unit is worth in pounds)
PLACES = [
    ("GBP", "Europe/London", "GB", Decimal("1")),
    ("EUR", "Europe/Berlin", "DE", Decimal("0.8467")),
    ("USD", "America/New_York", "US", Decimal("0.7821")),
    ("CAD", "America/Toronto", "CA", Decimal("0.5768")),
    ("AUD", "Australia/Sydney", "AU", Decimal("0.5142")),
]
IMPORT_ROWS = 20_000
COLUMNS = ["Date", "Transaction ID", "Gross", "Fee", "Currency", "Name"]


# Building ------------------------------------------------------------------------------------


def build(chapters: int, donations: int, *, rebuild: bool, seed: int = 7) -> tuple[object, float]:
    """The benchmark campaign at this size, and the bulk_create floor in rows/s (0 if reused)."""
    from django.db import transaction
    from django.utils import timezone

    from alongside.campaigns.models import Campaign, Chapter, Donation, Rate

    found = Campaign.objects.filter(slug=SLUG).first()
    if (
        found
        and not rebuild
        and (
            found.chapters.count() == chapters
            and Donation.objects.filter(chapter__campaign=found).count() == donations
        )
    ):
        print(f"Reusing {SLUG}: {chapters} chapters, {donations} donations.", flush=True)
        return found, 0.0
    if found:
        forget(found)
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name="Benchmark campaign",
            slug=SLUG,
            cause="Measuring how fast a campaign's money adds up.",
            beneficiary="A benchmark",
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=30),
            currency="GBP",
            target=Decimal(chapters) * 3000,
        )
        rates = {
            code: Rate.objects.create(
                campaign=campaign,
                currency=code,
                per_unit=per_unit,
                on=campaign.starts_on - dt.timedelta(days=70),
                source="Entered for the benchmark",
            )
            for code, _, _, per_unit in PLACES[1:]
        }
        made = Chapter.objects.bulk_create(
            Chapter(
                campaign=campaign,
                city=f"Town {n:04d}",
                slug=f"town-{n:04d}",
                country=PLACES[n % len(PLACES)][2],
                time_zone=PLACES[n % len(PLACES)][1],
                currency=PLACES[n % len(PLACES)][0],
                target=Decimal(rng.randrange(500, 10_000, 100)),
                status="approved",
            )
            for n in range(chapters)
        )
    started = time.perf_counter()
    rows = _donations(made, rates, donations, rng, campaign.starts_on)
    batch: list = []
    for donation in rows:
        batch.append(donation)
        if len(batch) == BATCH:
            _insert(batch, campaign)
            batch = []
    if batch:
        _insert(batch, campaign)
    seconds = time.perf_counter() - started
    rate = donations / seconds if seconds else 0.0
    print(f"Built {SLUG}: {chapters} chapters, {donations} donations in {seconds:.1f} s "
          f"({rate:,.0f} rows/s with bulk_create).", flush=True)  # fmt: skip
    return campaign, rate


def _insert(batch: list, campaign) -> None:
    from django.db import transaction

    from alongside.campaigns.models import Donation
    from alongside.campaigns.models.money import money_changed

    with transaction.atomic():
        Donation.objects.bulk_create(batch)
        money_changed(campaign.pk)  # once per batch, as an import does once per file


def _donations(chapters, rates, total: int, rng: random.Random, first: dt.date):
    from alongside.campaigns.models import Donation

    streams = [("import", "TicketTree"), ("import", "PayFriend"), ("webhook", "GiveNow")]
    for n in range(total):
        chapter = chapters[n % len(chapters)]
        stream, provider = ("cash", "") if n % 10 == 0 else streams[n % 3]
        gross = Decimal(rng.randrange(500, 10_000)) / 100
        fees = Decimal(0) if stream == "cash" else (gross * Decimal("0.029")).quantize(CENT)
        fees = exact_in_floats(gross, fees)
        rate = rates.get(chapter.currency)
        per_unit = rate.per_unit if rate else Decimal(1)
        yield Donation(
            chapter=chapter,
            stream=stream,
            provider=provider,
            reference=f"B-{n:08d}" if provider else "",
            received_on=first + dt.timedelta(days=n % 60),
            currency=chapter.currency,
            gross=gross,
            fees=fees,
            net=gross - fees,
            rate=rate,
            campaign_gross=(gross * per_unit).quantize(CENT, ROUND_HALF_UP),
            campaign_net=((gross - fees) * per_unit).quantize(CENT, ROUND_HALF_UP),
            counted_by="Benchmark" if stream == "cash" else "",
        )


def exact_in_floats(gross: Decimal, fees: Decimal) -> Decimal:
    """Fees a cent up where needed for SQLite, whose CHECK of net = gross - fees is done in
    floating point and refuses, for example, 84.93 - 2.46 = 82.47."""
    while float(gross) - float(fees) != float(gross - fees):
        fees += CENT
    return fees


def forget(campaign) -> None:
    """Delete the benchmark campaign: its money first, which protects its chapters."""
    from django.db import transaction

    from alongside.campaigns.models import Donation, DonationImport

    with transaction.atomic():
        mine = Donation.objects.filter(chapter__campaign=campaign)
        mine.filter(refund_of__isnull=False).delete()
        mine.delete()
        DonationImport.objects.filter(chapter__campaign=campaign).delete()
        campaign.delete()


# Importing ------------------------------------------------------------------------------------


def export_csv(rows: int, currency: str, seed: int = 11) -> str:
    """A PayFriend export (its columns are mapped in alongside/campaigns/providers.json)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    start = dt.date(2026, 1, 1)
    for n in range(rows):
        gross = Decimal(rng.randrange(500, 10_000)) / 100
        fee = (gross * Decimal("0.029") + Decimal("0.30")).quantize(CENT, ROUND_HALF_UP)
        day = start + dt.timedelta(days=n % 60)
        writer.writerow([day.isoformat(), f"PF-{n:08d}", gross, fee, currency, f"Buyer {n}"])
    return out.getvalue()


def measure_import(campaign, floor: float) -> list[str]:
    """A whole export through the app's own path: saved as a draft, then imported."""
    from django.contrib.auth import get_user_model

    from alongside.campaigns.models import Donation, DonationImport
    from alongside.campaigns.money import draft_save, import_commit

    chapter = campaign.chapters.order_by("pk").first()
    content = export_csv(IMPORT_ROWS, chapter.currency)
    user, _ = get_user_model().objects.get_or_create(username="benchmark.importer")
    lines = []
    for label in ("first time", "same file again"):
        started = time.perf_counter()
        draft = draft_save(
            chapter=chapter,
            provider="PayFriend",
            file_name="payfriend-export.csv",
            content=content,
            actor=user,
        )
        record = import_commit(draft=draft, actor=user)
        seconds = time.perf_counter() - started
        rate = IMPORT_ROWS / seconds
        ratio = f", {rate / floor:.2f} of the bulk_create floor" if floor else ""
        lines.append(f"import, {label}: {IMPORT_ROWS:,} rows in {seconds:.2f} s, "
                     f"{rate:,.0f} rows/s{ratio}; added {record.added:,}")  # fmt: skip
    # Leave the campaign at its size, so the next run can reuse it.
    imported = Donation.objects.filter(chapter=chapter, source_import__isnull=False)
    imported.filter(refund_of__isnull=False).delete()
    imported.delete()
    DonationImport.objects.filter(chapter=chapter).delete()
    return lines


# The page ------------------------------------------------------------------------------------


def floor_path() -> str:
    """The floor page of benchmarks/floor.py, which reads one surgery: made if there is none."""
    from alongside.surgeries.models import Surgery

    surgery = Surgery.objects.order_by("pk").first() or Surgery.objects.create(
        name="Benchmark floor",
        slug="benchmark-floor",
        place_name="Nowhere",
        description="The benchmark's floor page reads this row.",
        who_for="Nobody",
        contact_email="floor@bench.invalid",
    )
    return f"/benchmark-floor/{surgery.pk}/"


def page_path(campaign, given: str = "") -> str | None:
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    try:
        path = given or reverse("campaign", args=[campaign.slug])
        resolve(path)
    except (NoReverseMatch, Resolver404):
        return None
    return path


def count_queries(path: str) -> str:
    """Queries for the page as "kept/rendered": a warm cache, and none."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    found = []
    for seconds in (0, 300):
        with override_settings(PAGE_CACHE_SECONDS=seconds):
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path).status_code
        found.append(str(len(queries)) if status == 200 else f"HTTP {status}")
    rendered, kept = found
    return f"{kept}/{rendered}"


def load(port: int, path: str, seconds: int, connections: int) -> dict:
    """Requests per second from `connections` keep-alive connections for `seconds`."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()

    def one() -> None:
        mine, failed = [], 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                failed += response.status >= 400
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            bad[0] += failed

    began = time.perf_counter()
    threads = [threading.Thread(target=one) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    cut = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / elapsed,
        "p50": cut[49],
        "p99": cut[98],
        "requests": len(latencies),
        "bad": bad[0],
        "socket": "",
    }


def measure_page(args, campaign) -> list[str]:
    path = page_path(campaign, args.page)
    if path is None:
        return [f"page: skipped: {args.page or '/campaigns/<slug>/'} does not resolve yet"]
    name = "campaign" if not args.page else "page"
    paths = {"floor": floor_path(), name: path}
    queries = {"floor": count_queries(paths["floor"]), name: count_queries(path)}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    use_wrk = bool(shutil.which("wrk")) and not args.no_wrk
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(port, args.workers, Path(tmp) / "server.log")
        try:
            for _ in range(args.workers * 3):  # each worker's first pages are slow
                for p in paths.values():
                    first_request(base, p)
            for name, p in paths.items():
                print(f"{name}…", end=" ", flush=True)
                if use_wrk:
                    results[name] = run_wrk(args, base + p)
                else:
                    results[name] = load(port, p, args.seconds, args.connections)
                drain(base)
            print()
        finally:
            server.terminate()
            server.wait(timeout=30)
    how = "wrk" if use_wrk else "in-process keep-alive load"
    lines = [f"page load: {how}, {args.connections} connections, {args.seconds} s each, "
             f"gunicorn with {args.workers} workers"]  # fmt: skip
    floor = results["floor"]["rps"]
    for name, r in results.items():
        ratio = r["rps"] / floor if floor else 0
        note = f"; {r['bad']} failed" if r["bad"] else ""
        lines.append(f"{name:<9} {r['rps']:>8.1f} req/s  p50 {r['p50']:>6.1f} ms  "
                     f"p99 {r['p99']:>6.1f} ms  {ratio:>5.2f} of floor  "
                     f"queries {queries[name]}{note}")  # fmt: skip
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", help="DATA_DIR for a SQLite database (made if missing)")
    where.add_argument("--database-url", help="a PostgreSQL database")
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--donations", type=int, default=200_000)
    parser.add_argument("--seconds", type=int, default=10, help="of load, per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn's, as in production")
    parser.add_argument("--no-wrk", action="store_true", help="load from this process")
    parser.add_argument("--rebuild", action="store_true", help="even when the size is right")
    parser.add_argument("--skip-page", action="store_true")
    parser.add_argument("--page", default="", help="another page to load instead (an embed)")
    args = parser.parse_args()
    args.no_page_cache = False
    if args.data_dir:
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:  # SITE_ROOT only; the server takes its own port
        s.bind(("127.0.0.1", 0))
        setup_django(args, s.getsockname()[1])

    campaign, floor = build(args.chapters, args.donations, rebuild=args.rebuild)
    lines = [f"insert floor: {floor:,.0f} rows/s with bulk_create" if floor else
             "insert floor: not measured (campaign reused; --rebuild to measure)"]  # fmt: skip
    lines += measure_import(campaign, floor)
    if not args.skip_page:
        lines += measure_page(args, campaign)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\n{engine}: {args.chapters} chapters, {args.donations:,} donations\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
