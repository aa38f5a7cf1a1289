"""Repeating sessions: the dates a series gives, and making its sessions a few months ahead.

Sessions store a local date and local start and end times, so a 6 pm session is 6 pm on
both sides of the change between GMT and BST: the dates below are plain dates, never
instants, and the clock change only appears when a session's time is turned into an
instant (Session.starts_at) for reminders and calendar files.
"""

from __future__ import annotations

import datetime as dt

from dateutil import rrule
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.surgeries.models import Session, SessionSeries
from alongside.surgeries.services import session_save

# Sessions are made this far ahead, and the daily job keeps each open series topped up.
AHEAD = dt.timedelta(days=92)
# A preview shows no more than this many dates.
PREVIEW_LIMIT = 16

_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def _rule(series: SessionSeries) -> rrule.rrule:
    start = dt.datetime.combine(series.first_date, dt.time())
    until = dt.datetime.combine(series.last_date, dt.time()) if series.last_date else None
    kinds = SessionSeries.Rule
    if series.rule == kinds.WEEKLY:
        return rrule.rrule(rrule.WEEKLY, dtstart=start, until=until)
    if series.rule == kinds.FORTNIGHTLY:
        return rrule.rrule(rrule.WEEKLY, interval=2, dtstart=start, until=until)
    if series.rule == kinds.MONTHLY_WEEKDAY:
        assert series.weekday is not None and series.week is not None  # the form requires them
        weekday = _WEEKDAYS[series.weekday](series.week)
        return rrule.rrule(rrule.MONTHLY, byweekday=weekday, dtstart=start, until=until)
    return rrule.rrule(rrule.MONTHLY, bymonthday=series.day_of_month, dtstart=start, until=until)


def series_dates(series: SessionSeries, *, start: dt.date, until: dt.date) -> list[dt.date]:
    """The series' dates from `start` to `until`, both included (never before its first)."""
    low = dt.datetime.combine(max(start, series.first_date), dt.time())
    high = dt.datetime.combine(until, dt.time())
    return [d.date() for d in _rule(series).between(low, high, inc=True)]


def horizon(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + AHEAD


def preview_dates(series: SessionSeries, today: dt.date | None = None) -> list[dt.date]:
    """The dates a new series would make now: from its first date to three months ahead."""
    today = today or timezone.localdate()
    return _due(series, today)[:PREVIEW_LIMIT]


def _due(series: SessionSeries, today: dt.date) -> list[dt.date]:
    until = horizon(today)
    if series.last_date:
        until = min(until, series.last_date)
    start = today
    if series.made_until and series.made_until >= today:
        start = series.made_until + dt.timedelta(days=1)
    return series_dates(series, start=start, until=until)


def _session_for(series: SessionSeries, date: dt.date) -> Session:
    return Session(
        surgery=series.surgery,
        series=series,
        date=date,
        start_time=series.start_time,
        end_time=series.end_time,
        venue=series.venue,
        online_url=series.online_url,
        help_places=series.help_places,
        member_places=series.member_places,
        surgeon_places=series.surgeon_places,
        notes=series.notes,
    )


def series_create(*, series: SessionSeries, actor: User) -> list[Session]:
    """Save a new series and make its sessions up to three months ahead."""
    with transaction.atomic():
        series.created_by = actor
        series.save()
        audit(
            "series.create",
            series,
            actor=actor,
            surgery_id=series.surgery_id,
            rule=series.describe(),
        )
        return series_top_up(series=series, actor=actor)


def series_top_up(
    *, series: SessionSeries, actor: User | None = None, today: dt.date | None = None
) -> list[Session]:
    """Make the series' sessions not made yet, up to three months ahead.

    Each goes through session_save, so it is audited and schedules its emails like one
    added by hand. Dates already made are never made again, even if that session was
    cancelled, moved or deleted since: the organiser meant it.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        series = (
            SessionSeries.objects.select_for_update().select_related("surgery").get(pk=series.pk)
        )
        if series.stopped_at is not None:
            return []
        made = [
            session_save(session=_session_for(series, date), actor=actor)
            for date in _due(series, today)
        ]
        until = horizon(today)
        if series.made_until is None or until > series.made_until:
            series.made_until = until
            series.save(update_fields=["made_until"])
    return made


def series_stop(*, series: SessionSeries, actor: User) -> SessionSeries:
    """No more new sessions; the ones already made stay, to edit or cancel one by one."""
    with transaction.atomic():
        series.stopped_at = timezone.now()
        series.save(update_fields=["stopped_at"])
        audit("series.stop", series, actor=actor, surgery_id=series.surgery_id)
    return series


def top_up_all_series() -> int:
    """The daily job: keep every open series of a public surgery three months ahead."""
    today = timezone.localdate()
    open_series = SessionSeries.objects.filter(
        stopped_at__isnull=True,
        surgery__approved_at__isnull=False,
        surgery__closed_at__isnull=True,
    ).exclude(last_date__lt=today)
    made = 0
    for series in open_series:
        made += len(series_top_up(series=series, today=today))
    return made
