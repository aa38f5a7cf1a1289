"""GET /health/ for monitoring: is the database there, migrated, and is the worker keeping up?

200 with a small JSON body when all is well, 503 when the database cannot be reached, a
migration is missing, or the oldest task waiting to run has waited longer than STUCK_AFTER
(no worker is running, or it cannot keep up), or the cache does not answer (rate limits
and kept pages live there), or the templates or static files are missing (an install that
left them out answers every page with an error). Failed emails and failed tasks are
counted, not fatal: they want an admin's attention, not a restart. No personal data; a
handful of cheap queries.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_tasks_db.models import DBTaskResult, get_date_max

from alongside.outbox import delivery, emails
from alongside.outbox.models import Unsubscribe

STUCK_AFTER = dt.timedelta(minutes=15)
# One of each that every page uses: when these are there, the install carried them.
PAGE_TEMPLATE = "base.html"
STYLESHEET = "css/alongside.css"

# Migrations are only ever applied, never unapplied by the running site: once they are all
# in, there is no need to load the migration graph again on every check.
_migrated = False


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _cache_answers() -> bool:
    key = f"health:{secrets.token_hex(8)}"
    try:
        cache.set(key, "ok", 30)
        answered = cache.get(key) == "ok"
        cache.delete(key)
    except Exception:  # noqa: BLE001 - any failure of the cache server is "not answering"
        return False
    return answered


def _files_present() -> bool:
    """Whether the templates and static files are there: a stat or two, no query."""
    try:
        get_template(PAGE_TEMPLATE)
    except TemplateDoesNotExist:
        return False
    if not finders.find(STYLESHEET):
        return False
    # `serve` collects them for the manifest; whitenoise serves them from there.
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        return staticfiles_storage.exists(STYLESHEET)
    return True


def _oldest_ready_age(now: dt.datetime) -> float | None:
    ready = DBTaskResult.objects.filter(status="READY")
    # A task is ready from its run_after, or from when it was enqueued if it has none.
    waiting_since = [
        ready.filter(run_after=get_date_max())
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first(),
        ready.filter(run_after__lte=now)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first(),
    ]
    since = [t for t in waiting_since if t is not None]
    if not since:
        return None
    return round((now - min(since)).total_seconds(), 1)


@require_GET
@never_cache
@csp_override({})
def health(request):
    now = timezone.now()
    body: dict[str, object] = {"database": "ok"}
    try:
        body["migrations"] = "ok" if _migrations_applied() else "missing"
        age = _oldest_ready_age(now)
        body["oldest_ready_task_seconds"] = age
        body["failed_emails"] = delivery.failed_count()
        body["failed_tasks"] = DBTaskResult.objects.filter(status="FAILED").count()
        cache_ok = _cache_answers()
    except DatabaseError:
        return JsonResponse({"database": "unreachable"}, status=503)
    stuck = age is not None and age > STUCK_AFTER.total_seconds()
    body["queue"] = "stuck" if stuck else "ok"
    body["cache"] = "ok" if cache_ok else "unreachable"
    files_ok = _files_present()
    body["files"] = "ok" if files_ok else "missing"
    ok = body["migrations"] == "ok" and not stuck and cache_ok and files_ok
    body["status"] = "ok" if ok else "fail"
    return JsonResponse(body, status=200 if ok else 503)


@csrf_exempt  # Mail programs send one-click unsubscribes (RFC 8058) without a CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = emails.read_unsubscribe_token(token)
    if found is None:
        raise Http404("No such link.")
    email, kind = found
    done = request.method == "POST"
    if done:
        Unsubscribe.objects.get_or_create(email=email, kind=kind)
    return render(request, "bookings/unsubscribe.html", {"done": done, "kind": kind})
