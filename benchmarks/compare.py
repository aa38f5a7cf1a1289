"""Two versions of Alongside side by side: every page rendered by this checkout and by another,
in alternating wrk runs, so that a change is measured against what it changed.

    git worktree add /tmp/before main && (cd /tmp/before && uv sync)
    uv run python benchmarks/compare.py --against /tmp/before --data-dir /tmp/gen-small
    uv run python benchmarks/compare.py --against /tmp/before --database-url postgresql://…

Both serve the same generated network with PAGE_CACHE_SECONDS=0, so every request renders its
page: the floor, the public pages (benchmarks/pages.py's PAGES) and the signed-in ones, as the
same people (pages.py's choose_signed_in). For each page, wrk runs on one version and then on
the other, --rounds times, the first to go switching each round, and each version keeps its
best run. On a machine shared with others, a run slowed by a neighbour slows only the version
measured then, and the best of several is the nearest to what each costs: two runs of
pages.py a few minutes apart differ by a third on the same code. It prints requests a
second for both, and this checkout's as a ratio of the other's. The booking POST writes, so it
is left to pages.py.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pages import (  # noqa: E402
    PAGES,
    SIGNED_IN,
    choose,
    choose_signed_in,
    drain,
    first_request_as,
    free_port,
    headers_of,
    polled,
    run_wrk,
    setup_django,
    start_server,
    warm,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", help="DATA_DIR of a generated SQLite network")
    where.add_argument("--database-url", help="a generated PostgreSQL network")
    parser.add_argument("--against", required=True, help="the other checkout, with its .venv")
    parser.add_argument("--seconds", type=int, default=3, help="per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each version per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's, for each version")
    parser.add_argument("--pages", default=",".join([*PAGES, *SIGNED_IN]))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    other = Path(args.against).resolve()
    python = other / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{python} is missing: run uv sync in {other}")

    with tempfile.TemporaryDirectory() as tmp:
        # One key and one data directory for this process and both servers: the signed-in
        # people's sessions must open in each. Static files are served unhashed by both, as
        # each version has its own.
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        if args.database_url:
            os.environ["DATA_DIR"] = tmp
        args.no_page_cache = True
        setup_django(args, 80)
        os.environ.update(STATIC_MANIFEST="0", PAGE_CACHE_SECONDS="0")
        urls = choose()
        wanted = args.pages.split(",")
        pages = {name: (urls[name], "") for name in PAGES if name in wanted}
        if any(name in SIGNED_IN for name in wanted):
            signed, people, about = choose_signed_in()
            pages |= {name: (url, people[name]) for name, url in signed.items() if name in wanted}
            print(f"Signed in as {about}", flush=True)
        ports = {"this": free_port(), "other": free_port()}
        servers = {
            "this": start_server(ports["this"], args.workers, Path(tmp) / "this.log"),
            "other": start_server(
                ports["other"],
                args.workers,
                Path(tmp) / "other.log",
                root=other,
                python=str(python),
            ),
        }
        best: dict[str, dict[str, float]] = {"this": {}, "other": {}}
        try:
            for port in ports.values():
                base = f"http://127.0.0.1:{port}"
                warm(base, urls, rounds=args.workers * 2)
                for url, cookie in pages.values():
                    if cookie:
                        for _ in range(args.workers * 2):
                            first_request_as(base, url, cookie)
            for name, (url, cookie) in pages.items():
                print(f"{name}…", end=" ", flush=True)
                for round_ in range(args.rounds):
                    order = ["this", "other"] if round_ % 2 == 0 else ["other", "this"]
                    for version in order:
                        base = f"http://127.0.0.1:{ports[version]}"
                        asked = (
                            polled(base, url, cookie, args.seconds) if name == "board_poll" else url
                        )
                        headers = headers_of(name)
                        found = run_wrk(args, base + asked, cookie=cookie, headers=headers)
                        if found["bad"] or found["socket"]:
                            raise SystemExit(f"{version} answered {name} badly: {found}")
                        best[version][name] = max(best[version].get(name, 0), found["rps"])
                        drain(base)
        finally:
            for server in servers.values():
                server.terminate()
                server.wait(timeout=30)
    print()
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\n{engine}: best of {args.rounds} runs of {args.seconds} s, every page rendered")
    print(f"{'page':<12} {'this req/s':>11} {'other req/s':>12} {'this/other':>11}")
    for name in pages:
        mine, theirs = best["this"][name], best["other"][name]
        print(f"{name:<12} {mine:>11.1f} {theirs:>12.1f} {mine / theirs:>10.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
