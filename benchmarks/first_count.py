"""The whole network's first count, part by part and query by query, on a generated network.

    uv run python benchmarks/first_count.py --data-dir /tmp/gen-small
    uv run python benchmarks/first_count.py --database-url postgres://postgres@127.0.0.1:5432/alongside_scale

What a worker does when the network's figures have never been counted (impact/snapshots.py):
the figures, their breakdowns and the local groups' figures, with no snapshot to start from.
It reads the database `alongside generate` made and writes nothing. Prints each query's time
(the slowest first within each part), each part's, and the total against the target.
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
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.groups.figures import group_figures
    from alongside.impact.figures import breakdowns, figures

    parts = {
        "figures": lambda: figures(surgeries=None),
        "breakdowns": lambda: breakdowns(None),
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


if __name__ == "__main__":
    main()
