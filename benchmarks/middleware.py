"""What each middleware costs per request: the floor view in a loop, one middleware left out
at a time, in this process (no server, no network), on a generated network.

    uv run python benchmarks/middleware.py --data-dir /tmp/gen-small [--requests 2000]
    uv run python benchmarks/middleware.py --data-dir /tmp/gen-small --profile

Each line is the best of three rounds of --requests anonymous GETs (no cookie, as a first
visitor) through Django's WSGI handler: microseconds per request, and what leaving that one
middleware out saves. "bare" is benchmarks/bare_settings.py: Django's default middleware and
context processors. --profile prints pyinstrument's profile of the full stack instead.
"""

from __future__ import annotations

import argparse
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def environ(url: str, cookie: str, headers: dict | None = None) -> dict:
    """A GET of `url` (a path, with a query string or not) as WSGI hands it to Django."""
    path, _, query = url.partition("?")
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
    return {
        **extra,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9",
        "HTTP_COOKIE": cookie,
        "wsgi.input": BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def per_request(path: str, requests: int, cookie: str = "", **overrides) -> float:
    """Microseconds per request, the best of three rounds."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    def start_response(status, headers):
        assert status.startswith("200"), status  # noqa: S101

    with override_settings(**overrides):
        handler = WSGIHandler()
        for _ in range(50):
            b"".join(handler(environ(path, cookie), start_response))
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            for _ in range(requests):
                b"".join(handler(environ(path, cookie), start_response))
            best = min(best, (time.perf_counter() - started) / requests * 1e6)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", help="DATA_DIR of a generated SQLite network")
    where.add_argument("--database-url", help="a generated PostgreSQL network")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--keep-connections", action="store_true", help="CONN_MAX_AGE=60 (SQLite's is 0)"
    )
    args = parser.parse_args()
    args.no_page_cache = False

    from benchmarks.pages import setup_django

    setup_django(args, 80)
    from django.conf import settings
    from django.db import connection

    from alongside.surgeries.models import Surgery
    from benchmarks import bare_settings

    if args.keep_connections:
        connection.settings_dict["CONN_MAX_AGE"] = 60
    path = f"/benchmark-floor/{Surgery.objects.order_by('pk').first().pk}/"
    full = list(settings.MIDDLEWARE)
    if args.profile:
        from pyinstrument import Profiler

        per_request(path, 1)  # imports and the first query, outside the profile
        with Profiler(interval=0.0001) as profiler:
            per_request(path, args.requests)
        print(profiler.output_text(unicode=True, show_all=True, short_mode=False))
        return 0

    def row(label: str, us: float, saves: float | None = None) -> None:
        note = f"saves {saves:>4.0f}" if saves is not None else ""
        print(f"{label:<62} {us:>7.0f} µs  {note}", flush=True)

    bare = per_request(
        path,
        args.requests,
        MIDDLEWARE=bare_settings.MIDDLEWARE,
        TEMPLATES=bare_settings.TEMPLATES,
        ROOT_URLCONF=bare_settings.ROOT_URLCONF,
    )
    row("bare (Django's default middleware and context processors)", bare)
    whole = per_request(path, args.requests)
    row(f"Alongside, every middleware ({bare / whole:.2f}× bare's speed)", whole)
    plain = per_request(path, args.requests, TEMPLATES=bare_settings.TEMPLATES)
    row("  without its own context processors", plain, whole - plain)
    for name in full:
        try:
            without = per_request(path, args.requests, MIDDLEWARE=[m for m in full if m != name])
        except AssertionError:  # the page fails without it: other middleware needs it
            print(f"  without {name}: the page fails (other middleware needs it)")
            continue
        row(f"  without {name}", without, whole - without)
    return 0


if __name__ == "__main__":
    sys.exit(main())
