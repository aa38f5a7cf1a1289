"""The whole network's first count, part by part and query by query, on a generated network.

    uv run python benchmarks/first_count.py --data-dir /tmp/gen-small
    uv run python benchmarks/first_count.py --database-url postgres://postgres@127.0.0.1:5432/alongside_scale

What a worker does when the network's figures have never been counted (impact/snapshots.py):
the figures, their breakdowns and the local groups' figures, with no snapshot to start from.
Prints each query's time (the slowest first within each part), each part's, and the total
against the target.

The network's people are added up ahead of time and kept up to date by the change log
(impact/people.py). If the database `alongside generate` made has never been counted, they are
added up first, once, and that is timed on its own. Then, after the count, one surgery is
marked as changed and the network counted again, inside a transaction rolled back at the end,
so the database is left as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pages import use_database  # noqa: E402

TARGET_SECONDS = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", help="the small tier: a data directory holding SQLite")
    where.add_argument("--database-url", help="the large tier: a PostgreSQL database")
    args = parser.parse_args()
    os.environ.update(DEBUG="0", DJANGO_SETTINGS_MODULE="alongside.settings")
    use_database(args)
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from alongside.groups.figures import group_figures
    from alongside.impact import people
    from alongside.impact.figures import breakdowns, figures
    from alongside.impact.models import PeopleCounted
    from alongside.surgeries.changelog import EVERYWHERE, changed
    from alongside.surgeries.models import Surgery

    if not PeopleCounted.objects.filter(surgery_id=EVERYWHERE, last_change__gte=0).exists():
        began = time.perf_counter()
        people.bring_up_to_date()
        print(f"people added up from nothing (once): {time.perf_counter() - began:.1f} s")

    # In the order impact/snapshots.py counts them: the groups helped of each kind add up to
    # the groups helped, which the figures then need not count again.
    split: dict = {}
    parts = {
        "breakdowns": lambda: split.update(breakdowns(None)),
        "figures": lambda: figures(
            surgeries=None,
            organisations_helped=sum(n for _kind, n in split["organisations_by_kind"]),
        ),
        "local groups": lambda: group_figures(None),
    }
    total = 0.0
    for name, count in parts.items():
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            count()
            took = time.perf_counter() - began
        total += took
        print(f"{name}: {took:.1f} s, {len(queries)} queries")
        timed = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        for query in timed:
            sql = " ".join(query["sql"].split())
            print(f"  {float(query['time']):6.2f} s  {sql[:110]}")
    verdict = "met" if total < TARGET_SECONDS else "MISSED"
    print(f"total: {total:.1f} s (target under {TARGET_SECONDS} s)  {verdict}")
    surgery = Surgery.objects.exclude(kind=Surgery.Kind.EVENT).order_by("pk").first()
    with transaction.atomic():
        changed(surgery_id=surgery.pk)
        began = time.perf_counter()
        people.bring_up_to_date()
        took = time.perf_counter() - began
        transaction.set_rollback(True)
    print(f"one surgery changed: its people added up again in {took:.2f} s")


if __name__ == "__main__":
    main()
