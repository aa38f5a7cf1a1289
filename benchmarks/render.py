"""Each page rendered in this process, without a server: how long, and where the time goes.

    uv run python benchmarks/render.py --data-dir /tmp/gen-small [--pages home,organise]
    uv run python benchmarks/render.py --database-url postgresql://…/alongside_scale

Every page that benchmarks/pages.py measures (the public ones rendered, as with
PAGE_CACHE_SECONDS=0, and the signed-in ones as the same people, with the parts they keep
until something changes kept, or not with --nothing-kept), plus the privacy notice for
a visitor and signed in, which shows what any page costs. Each page goes through Django's
WSGI handler and every middleware, as a request does. For each it prints the fastest of
--rounds renders, of which the time inside the database driver and inside templates (the
queries a template runs included), and the floor's time as a ratio of it. The fastest, not
the mean: on a shared machine the slower renders measure the neighbours.

The booking POST (book_post) sends the booking form, filled as benchmarks/pages.py fills it,
with a new address each time; the bookings it made are removed at the end.

To compare two versions, run it in each checkout in turn, more than once, and keep each
page's fastest.

With --after-a-change, two surgeries are marked as changed before each render of a public
page (the next session's and the latest shared help's), so what is kept by the change log
is made again for them, as for the first visitor after a booking or a record of help.

With --look queries, calls or tags, it then renders each page --rounds times more, looked at
(benchmarks/look.py): each query and its time, the functions with most time of their own
(cProfile), or the template tags with most time of their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import urllib.parse
from collections.abc import Callable
from contextlib import nullcontext
from http.cookies import SimpleCookie
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.look import KINDS, look  # noqa: E402
from benchmarks.middleware import environ  # noqa: E402
from benchmarks.pages import (  # noqa: E402
    BENCH_DOMAIN,
    choose,
    choose_signed_in,
    clean_up,
    headers_of,
    refresh_of,
    setup_django,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", help="DATA_DIR of a generated SQLite network")
    where.add_argument("--database-url", help="a generated PostgreSQL network")
    parser.add_argument("--rounds", type=int, default=30, help="renders of each page")
    parser.add_argument("--pages", default="", help="which pages (default: all)")
    parser.add_argument(
        "--nothing-kept",
        action="store_true",
        help="signed-in pages with no part kept either: the first view after a change",
    )
    parser.add_argument(
        "--kept",
        action="store_true",
        help="public pages as most visitors get them: the copy kept since the last change",
    )
    parser.add_argument(
        "--after-a-change",
        action="store_true",
        help="public pages as the first visitor after a change to two surgeries sees them: "
        "the next session's and the latest help's (what is kept by the change log is made "
        "again for them)",
    )
    parser.add_argument("--look", choices=KINDS, help="then where each page's time goes")
    parser.add_argument("--top", type=int, default=25, help="lines of --look calls and tags")
    args = parser.parse_args()
    args.no_page_cache = False
    setup_django(args, 80)
    import django.template.backends.django as backend
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import override_settings

    connection.settings_dict["CONN_MAX_AGE"] = 60  # as a server's workers keep theirs
    urls = choose()
    signed, people, _ = choose_signed_in()
    pages = {name: (urls[name], "") for name in urls if name != "surgery_id"}
    pages |= {name: (url, people[name]) for name, url in signed.items()}
    pages["privacy"] = ("/privacy/", "")
    pages["privacy_in"] = ("/privacy/", people["organise"])
    wanted = args.pages.split(",") if args.pages else list(pages)

    spent = {"database": 0.0, "templates": 0.0}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["database"] += time.perf_counter() - started

    render = backend.Template.render

    def render_timed(self, context=None, request=None):
        started = time.perf_counter()
        try:
            return render(self, context, request)
        finally:
            spent["templates"] += time.perf_counter() - started

    backend.Template.render = render_timed  # type: ignore[method-assign]
    handler = WSGIHandler()

    def answered(status: str, headers: list) -> None:
        if not status.startswith(("200", "204")):
            raise SystemExit(f"{status} for a page")

    def booked(status: str, headers: list) -> None:
        # A booking made is sent on to its page; the form again (200) would be its errors.
        if not status.startswith("302"):
            raise SystemExit(f"{status} for a booking")

    def booking(url: str) -> Callable[[], dict]:
        """Each call a new POST of the booking form, as a person's browser sends it."""
        from benchmarks.load import FormParser

        got: list = []
        page = b"".join(handler(environ(url, ""), lambda s, h: got.extend(h)))
        jar = SimpleCookie()
        for header, value in got:
            if header.lower() == "set-cookie":
                jar.load(value)
        cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
        parser = FormParser()
        parser.feed(page.decode())
        data = parser.filled(name="Page Speed", email=f"EMAIL@{BENCH_DOMAIN}")
        body = urllib.parse.urlencode(data, doseq=True)
        sent = [0]

        def post() -> dict:
            sent[0] += 1
            filled = body.replace("EMAIL", f"render-{sent[0]}-{time.monotonic_ns()}").encode()
            return environ(url, cookie) | {
                "REQUEST_METHOD": "POST",
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(filled)),
                "HTTP_REFERER": f"http://127.0.0.1{url}",
                "wsgi.input": BytesIO(filled),
            }

        return post

    changing = _changing() if args.after_a_change else None
    results = {}
    looks = {}
    began = dt.datetime.now(dt.UTC)
    with connection.execute_wrapper(timed):
        for name in ["floor", *[n for n in wanted if n != "floor"]]:
            url, cookie = pages[name]
            # Public pages as a visitor's first view: no page kept, unless --kept. Signed-in
            # pages keep the parts they keep until something changes, unless --nothing-kept.
            nothing_kept = (not cookie and not args.kept) or args.nothing_kept
            keeping = override_settings(PAGE_CACHE_SECONDS=0) if nothing_kept else nullcontext()
            headers = headers_of(name)
            with keeping:
                ok = booked if name == "book_post" else answered
                if name == "book_post":
                    request_of = booking(url)
                else:
                    request_of = lambda u=url, c=cookie, h=headers: environ(u, c, h)  # noqa: E731
                for _ in range(10):  # each page's first renders load templates and code
                    page = b"".join(handler(request_of(), ok))
                if name == "board_poll":  # with the stamp of the board just shown
                    url = refresh_of(page.decode())
                    request_of = lambda u=url, c=cookie, h=headers: environ(u, c, h)  # noqa: E731
                best = None
                for _ in range(args.rounds):
                    if changing and not cookie:
                        changing.change()
                    spent.update(database=0.0, templates=0.0)
                    started = time.perf_counter()
                    b"".join(handler(request_of(), ok))
                    took = time.perf_counter() - started
                    if best is None or took < best[0]:
                        best = (took, spent["database"], spent["templates"])
                if args.look:
                    looks[name] = look(
                        args.look,
                        lambda r=request_of, ok=ok: b"".join(handler(r(), ok)),
                        args.rounds,
                        args.top,
                    )
            results[name] = best
    if "book_post" in results:
        print(f"Removed the {clean_up(began)} bookings made, and their tasks.")
    if changing:
        print(f"Removed the {changing.undo()} changes logged.")
    floor = results["floor"][0]
    print(f"\n{'page':<12} {'render ms':>10} {'database':>9} {'templates':>10} {'floor/page':>11}")
    for name, (took, database, templates) in results.items():
        print(
            f"{name:<12} {took * 1e3:>10.2f} {database * 1e3:>9.2f} {templates * 1e3:>10.2f}"
            f" {floor / took:>10.2f}×"
        )
    for name, lines in looks.items():
        print(f"\n{name}, {args.look}: " + "\n".join(lines))
    return 0


class _Changing:
    """Two surgeries marked as changed before each render, as a booking or a record of help
    marks its own: the next session's, and the latest shared help's."""

    def __init__(self, surgeries: list[int], last: int) -> None:
        self.surgeries, self.last = surgeries, last

    def change(self) -> None:
        from alongside.surgeries import changelog

        for surgery_id in self.surgeries:
            changelog.changed(surgery_id=surgery_id)

    def undo(self) -> int:
        from alongside.surgeries.models import Change

        removed, _ = Change.objects.filter(pk__gt=self.last).delete()
        return removed


def _changing() -> _Changing:
    from django.db.models import Max
    from django.utils import timezone

    from alongside.helprecords.models import HelpRecord
    from alongside.surgeries.models import Change, Session

    today = timezone.localdate()
    first = Session.objects.public().upcoming(today).values_list("surgery_id", flat=True)[0]
    shared = HelpRecord.objects.filter(public=True, session__date__lte=today)
    latest = shared.order_by("-session__date", "-created_at", "-id")
    surgeries = [first, latest.values_list("session__surgery_id", flat=True)[0]]
    return _Changing(surgeries, Change.objects.aggregate(last=Max("pk"))["last"] or 0)


if __name__ == "__main__":
    sys.exit(main())
