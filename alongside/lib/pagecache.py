"""Whole public pages kept for visitors who are not signed in, until what they show changes.

Most requests are people reading public pages: the home page, a surgery, a session, the
figures. Rendering one takes 10 to 35 ms of templates and queries; handing back a kept copy
takes two small queries. A copy is kept under the latest stamp of the change log (the
`surgeries_change` table, written by `surgeries/changelog.py`): every write a public page
shows adds a row to that log in its own transaction (the signals in `impact/signals.py`,
and `changelog.changed()` where a service updates rows in bulk), so once a change is
committed no copy from before it is served.

A page is kept only for requests that carry no cookie but the CSRF one: a signed-in person, a
message waiting to be shown or remembered booking details make the page theirs. Today's date
is part of the key (a session stops being "to come" when its day passes), and copies expire
after PAGE_CACHE_SECONDS whatever happens, which bounds the life of a copy made by an older
release. Figures a worker counts log no change, so the time of the last count is part of the
key too. Code showing something that must not be kept calls `dont_store()`.

The language cookie (the footer's switcher) does not make a page the visitor's own: pages are
kept per language, and per whether the visitor chose it (a surgery's pages speak the
surgery's language until they do, lib/language.py).

Form pages (`forms=True`) are kept with holes: the CSRF token and the anti-spam "shown at"
stamp are taken out before the copy is kept and filled in afresh for each visitor. Every
other page is kept compressed, and sent so to a visitor whose browser reads gzip.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from alongside.lib import antispam, language

_store: ContextVar[bool] = ContextVar("pagecache_store", default=True)

# Scopes: which surgeries' changes a page shows. The network's pages show every surgery's.
NETWORK, SURGERY, SESSION = "network", "surgery", "session"

# Kept with a page's content: a calendar file's name, and whether it is a download.
KEPT_HEADERS = ("Content-Disposition",)
# The shape of a kept copy, part of its key: a version that keeps copies in a new shape
# never hands one to a version beside it (a server not yet upgraded, or one rolled back)
# that cannot read it. 2: compressed, with its headers.
SHAPE = 2
CSRF_HOLE = "\x00csrf\x00"
STARTED_HOLE = "\x00started\x00"
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_STARTED_FIELD = re.compile(r'(name="(?:[\w-]+-)?form_started" value=")[^"]*(")')
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads the header


def dont_store() -> None:
    """Keep this response out of the page cache: it shows something about to change."""
    _store.set(False)


def visitor_page(scope: str = NETWORK, *, forms: bool = False) -> Callable:
    """Keep this view's pages for visitors, per URL, until the scope's data changes.

    `scope` is NETWORK, SURGERY (the view takes the surgery's `slug`) or SESSION (it takes
    `session_id`).
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _for_visitor(request):
                return view(request, *args, **kwargs)
            cache = caches["pages"]
            key = _key(request, scope, kwargs)
            kept = cache.get(key)
            if kept is not None:
                content, content_type, headers = kept
                response = _kept_response(request, content, content_type)
                for name, value in headers:
                    response[name] = value
            else:
                reset = _store.set(True)
                try:
                    response = view(request, *args, **kwargs)
                    seconds = settings.PAGE_CACHE_SECONDS
                    if _store.get() and _storable(request, response, forms):
                        headers = [(h, response[h]) for h in KEPT_HEADERS if h in response]
                        kept = (_keepable(response, forms), response["Content-Type"], headers)
                        cache.set(key, kept, seconds)
                finally:
                    _store.reset(reset)
            # Whatever a shared cache in front does, a signed-in person's page differs, and a
            # kept page is sent compressed to those who can read it so.
            patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
            return response

        return wrapper

    return decorator


def _keepable(response: HttpResponse, forms: bool) -> str | bytes:
    """A page with holes is kept as text, to be filled in for each visitor. Any other is
    the same for every visitor, so it is kept compressed: a quarter of the room, and sent
    as it is to browsers and calendar apps that read gzip (the network's calendar file of
    500 sessions is 582 KB, 32 KB compressed; a surgery's page 15 KB, under 4 KB)."""
    if forms:
        return _punch(response.content.decode())
    return gzip.compress(response.content, compresslevel=6, mtime=0)


def _kept_response(request: HttpRequest, content: str | bytes, content_type: str) -> HttpResponse:
    if isinstance(content, str):  # with holes
        return HttpResponse(_fill(request, content), content_type=content_type)
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Encoding"] = "gzip"
        return response
    return HttpResponse(_opened(content), content_type=content_type)


# Large kept pages, opened once in each process for those who do not read gzip (a calendar
# app, a feed reader or a script may not): the network's calendar file took 0.5 ms to open
# each time, as long as the rest of its request. The last four opened are kept, looked up
# by the compressed copy itself, so a page kept again, changed, is opened again.
_BIG = 16_000
_opened_big = functools.lru_cache(maxsize=4)(gzip.decompress)


def _opened(content: bytes) -> bytes:
    return _opened_big(content) if len(content) > _BIG else gzip.decompress(content)


def _for_visitor(request: HttpRequest) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    shared = (settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)
    return all(name in shared for name in request.COOKIES)


def _storable(request: HttpRequest, response: HttpResponse, forms: bool) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    # A page that printed the visitor's CSRF token is theirs, unless it is punched out.
    return forms or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def _key(request: HttpRequest, scope: str, kwargs: dict) -> str:
    parts = [
        request.get_host(),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        # What LocaleMiddleware chose (from the cookie or the browser), and whether it was
        # the visitor's own choice.
        f"{translation.get_language()}:{language.chosen(request)}",
        _stamp(scope, kwargs),
    ]
    return f"page{SHAPE}:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


# One query: the change log for the page's surgeries, and when figures were last counted.
# The count as well as the last id: ids are handed out at insert, not at commit, so a change
# committed after a later-numbered one would not move the last id. The last count: a worker
# counting figures again logs no change, but the pages showing them must change.
_STAMP = """
    SELECT COUNT(*), MAX(id), (SELECT MAX(computed_at) FROM impact_snapshot)
    FROM surgeries_change {where}
"""
_WHERE = {
    NETWORK: "",
    SURGERY: "WHERE surgery_id = 0 OR surgery_id IN "
    "(SELECT id FROM surgeries_surgery WHERE slug = %s)",
    SESSION: "WHERE surgery_id = 0 OR surgery_id IN "
    "(SELECT surgery_id FROM surgeries_session WHERE id = %s)",
}
_PARAM = {NETWORK: None, SURGERY: "slug", SESSION: "session_id"}


def _stamp(scope: str, kwargs: dict) -> str:
    params = [kwargs[_PARAM[scope]]] if _PARAM[scope] else []
    with connection.cursor() as cursor:
        cursor.execute(_STAMP.format(where=_WHERE[scope]), params)
        rows, last, counted = cursor.fetchone()
    return f"{scope}:{rows}:{last}:{counted}"


NOT_KEPT: dict[str, object] = {"kept_for": 0, "stamp": "", "fragments": "nothing_kept"}


def keeping(stamp: Callable[[], str]) -> dict[str, object]:
    """What a template needs to keep parts of a signed-in page until their data changes:

        {% cache kept_for name …what it varies on… stamp using=fragments %}…{% endcache %}

    `stamp` is asked for only when parts are kept: with PAGE_CACHE_SECONDS=0 nothing is,
    and the tag reads and writes nowhere. A view whose lists are kept reads them only when
    they are made again: it hands the template functions, which a template calls.

    Only what the change log covers may be kept, and nothing personal: a kept part is shown
    to whoever has the same key until the log moves, however a name was changed or erased.
    """
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return NOT_KEPT
    return {"kept_for": seconds, "stamp": stamp(), "fragments": "template_fragments"}


def kept_for_network[T](name: str, parts: Iterable[object], make: Callable[[], T]) -> T:
    """What the whole network's data decides, worked out once per change and per day and
    kept as pages are: a number a request needs that costs too much to work out on every
    request, or an answer of the API that is the same for everyone. `parts` are what else
    it depends on."""
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return make()
    key = "|".join([name, timezone.localdate().isoformat(), network_stamp(), *map(str, parts)])
    key = "number:" + hashlib.sha256(key.encode()).hexdigest()
    cache = caches["pages"]
    kept = cache.get(key)
    if kept is None:
        kept = make()
        cache.set(key, kept, seconds)
    return kept


def surgery_stamp(slug: str) -> str:
    """The change log's stamp for one surgery and when figures were last counted: the key a
    visitor's kept copy of its pages has, for a part of a signed-in page."""
    return _stamp(SURGERY, {"slug": slug})


def network_stamp() -> str:
    """The change log's stamp for the whole network, for a part of a signed-in page kept
    under it with `{% cache %}`, as `areas_stamp` is for some areas."""
    return _stamp(NETWORK, {})


_CHANGES_OF = """
    SELECT COUNT(*), MAX(id), {counted} FROM surgeries_change WHERE surgery_id = 0 OR
    surgery_id IN ({surgeries})
"""
_IN_AREAS = "SELECT id FROM surgeries_surgery WHERE area_id IN ({marks})"
_COUNTED = "(SELECT MAX(computed_at) FROM impact_snapshot)"


def _changes_stamp(surgeries_sql: str, ids: list[int], counted: bool = False) -> str:
    ids = ids or [0]  # no area or surgery has id 0: only changes to every surgery count
    marks = ", ".join(["%s"] * len(ids))
    sql = _CHANGES_OF.format(
        surgeries=surgeries_sql.format(marks=marks), counted=_COUNTED if counted else "NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows, last, when = cursor.fetchone()
    # The ids too: a surgery moved between two areas, or from one organiser to another,
    # moves no total.
    return f"{rows}:{last}:{when}:{','.join(map(str, ids))}"


def areas_stamp(area_ids: Iterable[int]) -> str:
    """The change log's stamp for every surgery in these areas.

    For a part of a signed-in page kept with `{% cache %}` under it: once any of those
    surgeries, their sessions or their bookings change, the stamp moves and the part is made
    again, as a kept page is. One query, on the index of surgeries by area.
    """
    return _changes_stamp(_IN_AREAS, sorted(area_ids))


def surgeries_stamp(surgery_ids: Iterable[int], *, counted: bool = False) -> str:
    """The change log's stamp for these surgeries, as `areas_stamp` is for some areas; with
    `counted`, it moves too when figures are counted again, for a part that shows them."""
    return _changes_stamp("{marks}", sorted(surgery_ids), counted)


def _punch(content: str) -> str:
    content = _CSRF_FIELD.sub(rf"\g<1>{CSRF_HOLE}\g<2>", content)
    return _STARTED_FIELD.sub(rf"\g<1>{STARTED_HOLE}\g<2>", content)


def _fill(request: HttpRequest, content: str) -> str:
    if CSRF_HOLE in content:
        content = content.replace(CSRF_HOLE, get_token(request))
    if STARTED_HOLE in content:
        content = content.replace(STARTED_HOLE, antispam.stamp(antispam.visitor(request)))
    return content
