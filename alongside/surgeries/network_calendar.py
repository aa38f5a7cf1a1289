"""The network calendar: every upcoming public session, grouped by area."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from alongside.lib.pagecache import visitor_page
from alongside.surgeries.models import Area, Session

# The month filter offers this many months from this one.
MONTHS = 6


def _months(today: dt.date) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    months = []
    for n in range(MONTHS):
        year, month = divmod(first.month - 1 + n, 12)
        day = dt.date(first.year + year, month + 1, 1)
        months.append((day.strftime("%Y-%m"), date_format(day, "F Y")))
    return months


class CalendarForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    month = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", _("All coming months")), *_months(today)]


def _month_range(value: str) -> tuple[dt.date, dt.date] | None:
    if not value:
        return None
    start = dt.date.fromisoformat(f"{value}-01")
    year, month = divmod(start.month, 12)
    return start, dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)


@visitor_page()
def network_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = CalendarForm(request.GET, today=today)
    form.is_valid()
    data = form.cleaned_data
    sessions = (
        Session.objects.public()
        .upcoming()
        .filter(cancelled_at__isnull=True)
        .with_counts()
        .select_related("surgery__area", "venue")
    )
    if area := data.get("area"):
        sessions = sessions.filter(surgery__area_id__in=area.ids_within())
    if span := _month_range(data.get("month", "")):
        sessions = sessions.filter(date__range=span)
    ctx = {"form": form, "groups": _by_area(list(sessions)), "filtered": bool(request.GET)}
    return render(request, "surgeries/calendar.html", ctx)


def _by_area(sessions: list[Session]) -> list[tuple[str, list[Session]]]:
    """Areas in name order, each with its sessions by date; "Other places" last."""
    areas: dict[Area | None, list[Session]] = {}
    for session in sessions:
        areas.setdefault(session.surgery.area, []).append(session)
    named = sorted((a for a in areas if a is not None), key=lambda a: a.name.casefold())
    groups = [(area.name, areas[area]) for area in named]
    if None in areas:
        groups.append((str(_("Other places")), areas[None]))
    return groups
