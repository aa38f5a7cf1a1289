"""Organisers' scheduling pages: repeat a session, copy one, close or reopen a surgery."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.lib.access import session_for_organiser, surgery_for_organiser
from alongside.surgeries import repeats, services
from alongside.surgeries.clashes import clashes_for, planned_venue
from alongside.surgeries.forms import SeriesForm
from alongside.surgeries.models import Session, SessionSeries
from alongside.surgeries.views import _session_form


def _series_from(surgery, source: Session | None) -> SessionSeries:
    """A new series, starting from the session it repeats or the surgery's latest one."""
    source = source or surgery.sessions.select_related("venue").order_by("-date").first()
    series = SessionSeries(surgery=surgery, rule=SessionSeries.Rule.MONTHLY_WEEKDAY)
    if source is None:
        series.help_places, series.surgeon_places = 8, 4
        return series
    for name in ("start_time", "end_time", "venue", "online_url", "help_places"):
        setattr(series, name, getattr(source, name))
    series.surgeon_places, series.notes = source.surgeon_places, source.notes
    # "Repeat this session" from its own date: the same weekday, the same week of the month.
    day = source.date
    series.weekday = day.weekday()
    series.week = SessionSeries.Week.LAST if day.day > 28 else (day.day - 1) // 7 + 1
    series.day_of_month = min(day.day, 28)
    series.first_date = max(day, timezone.localdate())
    return series


def series_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Repeat a session: choose the rule, see the dates it makes, then make them."""
    surgery = surgery_for_organiser(request, slug)
    source = None
    if source_id := request.GET.get("from", "").strip():
        source = get_object_or_404(Session, pk=source_id if source_id.isdigit() else 0)
        if source.surgery_id != surgery.pk:
            source = None
    series = _series_from(surgery, source)
    form = SeriesForm(request.POST or None, instance=series, surgery=surgery)
    ctx = {"form": form, "surgery": surgery, "dates": None}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = form.instance
        dates = repeats.preview_dates(series)
        shown = ",".join(d.isoformat() for d in dates)
        # Creating needs the dates the organiser last saw: change a field, see them again.
        if request.POST.get("confirm") and request.POST.get("previewed") == shown and dates:
            series = form.save(commit=False)
            series.venue = services.venue_for_session(
                surgery=surgery,
                venue=data["venue"],
                new_name=data["new_venue_name"],
                new_address=data["new_venue_address"],
                new_postcode=data["new_venue_postcode"],
            )
            made = repeats.series_create(series=series, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "The repeating session is saved, with %(count)s date so far. Each date can be "
                    "edited or cancelled on its own.",
                    "The repeating session is saved, with %(count)s dates so far. Each date can "
                    "be edited or cancelled on its own.",
                    len(made),
                )
                % {"count": len(made)},
            )
            return redirect("organise")
        venue = planned_venue(data)
        ctx["dates"] = [(day, clashes_for(surgery, day, venue=venue)) for day in dates]
        ctx["any_clash"] = any(found for _, found in ctx["dates"])
        ctx["previewed"] = shown
        ctx["ahead"] = repeats.horizon()
    return render(request, "surgeries/series_form.html", ctx)


def series_stop(request: HttpRequest, slug: str, series_id: int) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    series = get_object_or_404(SessionSeries, pk=series_id, surgery=surgery)
    if request.method == "POST":
        repeats.series_stop(series=series, actor=request.user)
        messages.success(
            request, _("It will not make new dates. The sessions already planned are unchanged.")
        )
        return redirect("organise")
    return render(request, "surgeries/series_stop.html", {"surgery": surgery, "series": series})


def session_copy(request: HttpRequest, session_id: int) -> HttpResponse:
    """The new-session form, filled in from a session. Nothing is saved until it is sent."""
    source = session_for_organiser(request, session_id)
    week_on = source.date + dt.timedelta(weeks=1)
    copy = Session(
        surgery=source.surgery,
        date=week_on if week_on >= timezone.localdate() else None,
        start_time=source.start_time,
        end_time=source.end_time,
        venue=source.venue,
        online_url=source.online_url,
        help_places=source.help_places,
        surgeon_places=source.surgeon_places,
        notes=source.notes,
    )
    return _session_form(request, source.surgery, copy, copied_from=source)


def surgery_close(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    upcoming = surgery.sessions.upcoming().filter(cancelled_at__isnull=True)
    ctx = {"surgery": surgery, "upcoming": upcoming}
    if surgery.closed_at is None and request.method == "POST" and not upcoming.exists():
        services.surgery_close(surgery=surgery, actor=request.user)
        messages.success(request, _("The surgery is closed. Thank you for all you did."))
        return redirect("surgery", surgery.slug)
    return render(request, "surgeries/surgery_close.html", ctx)


def surgery_reopen(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    if surgery.closed_at is not None and request.method == "POST":
        services.surgery_reopen(surgery=surgery, actor=request.user)
        messages.success(request, _("Welcome back: the surgery is open again. Add a session."))
        return redirect("session_new", surgery.slug)
    return render(request, "surgeries/surgery_reopen.html", {"surgery": surgery})
