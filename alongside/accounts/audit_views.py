"""The surgery's audit log: who changed what, and when, for its organisers."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from alongside.accounts import auditlog
from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.lib.access import surgery_for_organiser

PER_PAGE = 50


@dataclass
class Change:
    field: str
    before: str
    after: str
    shown: bool


@dataclass
class Row:
    entry: AuditEntry
    who: str
    what: str
    changes: list[Change]


def _who(entry: AuditEntry, organiser_ids: set[int]) -> str:
    """A name; an email address only for an organiser of this surgery, whom the others know."""
    actor: AbstractBaseUser | None = entry.actor
    if actor is None:
        if entry.action in auditlog.AUTOMATIC:
            return _("Alongside, automatically")
        if entry.action in auditlog.BY_LINK:
            return _("someone with the link")
        return _("someone")
    name = actor.get_full_name()
    if actor.pk in organiser_ids:
        return name or actor.email or actor.get_username()
    if actor.is_staff:
        return name or _("a network admin")
    return name or _("someone signed in")


def _value(field: str, value: object) -> str:
    if value is None or value == "" or value == []:
        return _("(none)")
    if field == "status":
        try:
            return str(Booking.Status(value).label)
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _changes(entry: AuditEntry) -> list[Change]:
    found = entry.details.get("changes") if isinstance(entry.details, dict) else None
    if not isinstance(found, dict):
        return []
    rows = []
    for field, values in found.items():
        label = auditlog.field_label(field)
        if isinstance(values, list) and len(values) == 2:
            rows.append(Change(label, _value(field, values[0]), _value(field, values[1]), True))
        else:
            rows.append(Change(label, "", "", False))
    return rows


def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    entries = AuditEntry.objects.filter(surgery=surgery).select_related("actor")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    organiser_ids = set(surgery.organisers.values_list("pk", flat=True))
    rows = [
        Row(e, _who(e, organiser_ids), auditlog.action_label(e.action), _changes(e))
        for e in page.object_list
    ]
    return render(request, "audit/log.html", {"surgery": surgery, "page": page, "rows": rows})
