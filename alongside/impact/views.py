"""The impact pages, their open data (JSON) and the anonymised rows behind them (CSV)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
from collections.abc import Callable, Iterator

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from alongside.accounts.http import SignedInRequest
from alongside.groups.figures import DEFINITIONS as LOCAL_DEFINITIONS
from alongside.helprecords.models import HelpRecord, Story
from alongside.impact import charts
from alongside.impact.figures import DEFINITIONS, Figures, Scope, within
from alongside.impact.forms import DateRangeForm
from alongside.impact.snapshots import BEING_COUNTED_MESSAGE, Impact, impact_for
from alongside.lib import pagecache
from alongside.lib.addresses import same_person_key
from alongside.lib.pagecache import SURGERY, visitor_page
from alongside.lib.prepared import Prepared
from alongside.network.access import area_for_figures
from alongside.surgeries.access import surgery_for_organiser, visible_surgery
from alongside.surgeries.models import Area, Audience, Organisation, Surgery


def _approved():
    # A proposed surgery has no public pages yet. A closed one's help still happened, so its
    # figures stay in its area's and on its own impact page.
    return Surgery.objects.approved()


def _seen(request: HttpRequest, slug: str) -> Surgery:
    """A surgery's figures page: public, or one for an organisation's members shown to those
    who may see the surgery itself (its organisers, the members, network admins); to anyone
    else it does not exist. Open data, pictures and embeds stay public only (`_approved`)."""
    surgery = _counted_surgery.first(slug=slug)
    if surgery is None:
        raise Http404
    return visible_surgery(request, surgery)


# Stories a report prints: as many as its second sheet has room for.
REPORT_STORIES = 3

# A surgery's figures, charts and report, and the report's stories (lib/prepared.py): Django
# took 0.3 and 0.5 ms to build these queries, longer than the database took to answer.
_counted_surgery = Prepared(lambda slug: Surgery.objects.counted().filter(slug=slug))
_surgery_stories = Prepared(
    lambda surgery_id: (
        Story.objects.public()
        .select_related("surgery")
        .filter(surgery_id=surgery_id)
        .order_by("-published_at", "-id")[:REPORT_STORIES]
    )
)


def _within(area: Area):
    # An area's totals count the help at surgeries for one organisation's members too; no
    # breakdown names a surgery, and the lists of surgeries shown are public() ones.
    return area.surgeries_within().counted()


def _figures(
    request: HttpRequest,
    scope: Scope,
    start: dt.date | None,
    end: dt.date | None,
    chart_base: str,
    stamp: Callable[[], str],
) -> dict:
    """The figures, breakdowns and charts of a figures page or a report, as functions.

    Both are kept (impact.html, report.html) for people signed in, who never get a kept
    page, until their surgeries change or their figures are counted again (`stamp`): only
    then are the figures read. A template calls these and `impact` remembers the answer.
    Visitors are served the whole page kept: nothing more to keep for them.
    """

    @functools.cache
    def impact() -> Impact:
        return impact_for(scope, start, end)

    query = _range_query(start, end)
    return {
        "start": start,
        "end": end,
        "impact": impact,
        "figures": lambda: impact().figures,
        "breakdowns": lambda: impact().breakdowns,
        "definitions": DEFINITIONS,
        "local_definitions": LOCAL_DEFINITIONS,
        "query": query,
        "charts": functools.cache(lambda: charts.links(chart_base, query, impact().breakdowns)),
        "today": timezone.localdate(),
        **(pagecache.keeping(stamp) if request.user.is_authenticated else pagecache.NOT_KEPT),
    }


def _page(request: HttpRequest, scope: Scope, ctx: dict, stamp: Callable[[], str]) -> HttpResponse:
    form = DateRangeForm(request.GET or None)
    start, end = form.dates
    ctx |= {"form": form, **_figures(request, scope, start, end, ctx["chart_base"], stamp)}
    return render(request, "impact/impact.html", ctx)


def _range_query(start: dt.date | None, end: dt.date | None) -> str:
    return urlencode({k: d.isoformat() for k, d in (("from", start), ("to", end)) if d})


@visitor_page()
def network(request: HttpRequest) -> HttpResponse:
    ctx = {
        "title": _("What the surgeries have done together"),
        "json_url": reverse("impact_json"),
        "chart_base": "/impact/charts/",
    }
    return _page(request, None, ctx, pagecache.network_stamp)


@visitor_page()
def area(request: HttpRequest, slug: str) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("parent"), slug=slug)
    surgeries = _within(area)
    ctx = {
        "title": _("What surgeries in %(name)s have done") % {"name": area.name},
        "area": area,
        "surgeries": list(surgeries.public().only("name", "slug", "place_name")),
        "json_url": reverse("area_json", args=[slug]),
        "csv_url": reverse("area_csv", args=[slug]),
        "xlsx_url": reverse("area_xlsx", args=[slug]),
        "report_url": reverse("area_report", args=[slug]),
        "chart_base": f"/areas/{slug}/charts/",
    }
    return _page(request, surgeries, ctx, pagecache.network_stamp)


@visitor_page(SURGERY)
def surgery(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = _seen(request, slug)
    ctx = {
        "title": _("What %(name)s has done") % {"name": surgery.name},
        "surgery": surgery,
        # Open data is for anyone's website: never for a surgery for members only.
        "json_url": None if surgery.is_members_only else reverse("surgery_json", args=[slug]),
        "csv_url": reverse("surgery_csv", args=[slug]),
        "xlsx_url": reverse("surgery_xlsx", args=[slug]),
        "report_url": reverse("surgery_report", args=[slug]),
        "chart_base": f"/surgeries/{slug}/charts/",
    }
    return _page(request, surgery, ctx, lambda: pagecache.surgery_stamp(slug))


# --- Open data: the figures as JSON, for anyone's website or spreadsheet ---------------------


def _json(request: HttpRequest, scope: Scope, about: dict) -> JsonResponse:
    form = DateRangeForm(request.GET or None)
    if request.GET and not form.is_valid():
        response = JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    else:
        start, end = form.dates
        about = {
            **about,
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
        }
        impact = impact_for(scope, start, end)
        if impact.being_counted:
            # No zeros that look like figures: a plain "not yet", and no figures at all.
            message = str(BEING_COUNTED_MESSAGE)
            response = JsonResponse({**about, "being_counted": True, "message": message})
        else:
            response = JsonResponse({**about, "being_counted": False, **_open_data(impact)})
    # Open data: any website may fetch these figures from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _open_data(impact: Impact) -> dict:
    assert impact.computed_at is not None  # only figures being counted have no time
    split = dict(impact.breakdowns)
    months = split.pop("months")
    return {
        "counted_at": impact.computed_at.isoformat(),
        # Counts and labels only: nothing here is about one person.
        "figures": dataclasses.asdict(impact.figures),
        "breakdowns": {
            **{key: [{"label": k, "count": n} for k, n in rows] for key, rows in split.items()},
            "months": [
                {"month": m.strftime("%Y-%m"), "sessions_held": s, "people_helped": p}
                for m, s, p in months
            ],
        },
        "definitions": {key: str(text) for key, text in DEFINITIONS.items()},
        "local_groups": _local_groups_data(impact),
    }


def _local_groups_data(impact: Impact) -> dict:
    """The local groups' figures; pairs name only groups listed publicly, as the pages do."""
    local = impact.groups
    counts = local.as_data()
    counts.pop("pairs")
    counts.pop("by_locality")
    return {
        **counts,
        "by_locality": [{"label": k, "count": n} for k, n in local.localities()],
        "connections_made": [{"first": a, "second": b} for a, b in local.pairs],
        "definitions": {key: str(text) for key, text in LOCAL_DEFINITIONS.items()},
    }


def network_json(request: HttpRequest) -> JsonResponse:
    return _json(request, None, {"scope": "network"})


def area_json(request: HttpRequest, slug: str) -> JsonResponse:
    area = get_object_or_404(Area, slug=slug)
    about = {"scope": "area", "slug": area.slug, "name": area.name}
    return _json(request, _within(area), about)


def surgery_json(request: HttpRequest, slug: str) -> JsonResponse:
    surgery = get_object_or_404(_approved(), slug=slug)
    about = {"scope": "surgery", "slug": surgery.slug, "name": surgery.name}
    return _json(request, surgery, about)


# --- The anonymised rows, for organisers ------------------------------------------------------

# The headings of the CSV and of the spreadsheet's records, in people's words. No commas: a
# heading is one cell.
CSV_COLUMNS = [
    gettext_lazy("Date of the session"),
    gettext_lazy("Surgery"),
    gettext_lazy("Kind of group"),
    gettext_lazy("Person (a number)"),
    gettext_lazy("What the help was about"),
    gettext_lazy("Minutes spent"),
    gettext_lazy("Links set up or improved"),
    gettext_lazy("May be shown publicly"),
]


def _headings() -> list[str]:
    return [str(heading) for heading in CSV_COLUMNS]


def _cell(value: object) -> object:
    # A spreadsheet runs a cell starting with one of these as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _help_rows(scope: Scope, start: dt.date | None, end: dt.date | None) -> Iterator[list]:
    """One row per record of help, in CSV_COLUMNS order, with nothing that says who anyone is."""
    records = (
        within(HelpRecord.objects.all(), scope, start, end)
        .select_related("session__surgery", "booking__organisation")
        .prefetch_related("topics")
        .annotate(link_count=Count("links"))
        .order_by("session__date", "pk")
    )
    kinds = dict(Organisation.Kind.choices)
    # An area's rows count the help at a surgery for one organisation's members without
    # saying whose it was; that surgery's own download, for its organisers, names it.
    one_surgery = isinstance(scope, Surgery)
    unnamed = _("A surgery for one organisation's members")
    # People are numbered in the order they first appear: the same person (by the same key the
    # figures count them with) is the same number in this file, and nothing says who they are.
    numbers: dict[str, int] = {}
    for record in records:
        booking = record.booking
        key = same_person_key(booking.email) or f"walk-in:{booking.pk}"
        number = numbers.setdefault(key, len(numbers) + 1)
        organisation = booking.organisation
        surgery = record.session.surgery
        yield [
            record.session.date.isoformat(),
            unnamed if surgery.is_members_only and not one_surgery else surgery.name,
            str(kinds.get(organisation.kind, organisation.kind)) if organisation else "",
            number,
            "; ".join(topic.name for topic in record.topics.all()),
            "" if record.minutes is None else record.minutes,
            record.link_count,
            "yes" if record.public else "no",
        ]


def _download_range(request: HttpRequest) -> tuple[DateRangeForm, HttpResponse | None]:
    form = DateRangeForm(request.GET or None)
    if request.GET and not form.is_valid():
        errors = " ".join(str(e) for field in form.errors.values() for e in field)
        return form, HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    return form, None


def _filename(slug: str, start: dt.date | None, end: dt.date | None, extension: str) -> str:
    dates = "-".join(d.isoformat() for d in (start, end) if d)
    return f"{slug}-help{'-' + dates if dates else ''}.{extension}"


def _csv(request: HttpRequest, scope: Scope, slug: str) -> HttpResponse:
    form, error = _download_range(request)
    if error:
        return error
    start, end = form.dates
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = _filename(slug, start, end, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(_headings())
    for row in _help_rows(scope, start, end):
        writer.writerow(_cell(value) for value in row)
    return response


def surgery_csv(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    return _csv(request, surgery, surgery.slug)


def area_csv(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_figures(request, slug)
    return _csv(request, _within(area), area.slug)


# --- Charts: pictures of the breakdowns, each beside a table of the same numbers -------------

# A chart is its own small document, shown with <img>: pygal styles it with a <style> element
# inside the SVG, which the site's policy would block. Nothing else may load, and no script.
CHART_CSP = {"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE]}


def _chart(request: HttpRequest, scope: Scope, name: str) -> HttpResponse:
    if name not in charts.NAMES:
        raise Http404
    # A bad range draws all time, as the page beside it shows.
    start, end = DateRangeForm(request.GET or None).dates
    impact = impact_for(scope, start, end)
    if impact.being_counted:
        # Not an empty chart: that would say nothing had happened.
        return HttpResponse(charts.being_counted(), content_type="image/svg+xml")
    return HttpResponse(charts.svg(name, impact.breakdowns), content_type="image/svg+xml")


@csp_override(CHART_CSP)
def network_chart(request: HttpRequest, name: str) -> HttpResponse:
    return _chart(request, None, name)


@csp_override(CHART_CSP)
def area_chart(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    area = get_object_or_404(Area, slug=slug)
    return _chart(request, _within(area), name)


@csp_override(CHART_CSP)
def surgery_chart(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    surgery = _seen(request, slug)
    return _chart(request, surgery, name)


@login_required
def organiser(request: SignedInRequest) -> HttpResponse:
    """Everything the signed-in organiser runs, together."""
    ctx = {
        "title": _("What your surgeries have done"),
        "chart_base": reverse("organiser_impact") + "charts/",
    }
    surgeries = request.user.organised_surgeries.all()
    ids = list(surgeries.order_by("pk").values_list("pk", flat=True))
    return _page(request, surgeries, ctx, lambda: pagecache.surgeries_stamp(ids, counted=True))


@login_required
@csp_override(CHART_CSP)
def organiser_chart(request: SignedInRequest, name: str) -> HttpResponse:
    return _chart(request, request.user.organised_surgeries.all(), name)


# --- The funder's report: two A4 pages, printed from the browser -----------------------------


def _twelve_months_from(today: dt.date) -> dt.date:
    """The first day of the month eleven months back: with this month, twelve months."""
    months = today.year * 12 + today.month - 1 - 11
    return dt.date(months // 12, months % 12 + 1, 1)


def _stories(scope: Scope) -> list:
    if isinstance(scope, Surgery):
        return _surgery_stories.list(surgery_id=scope.pk)
    # An area's report names the surgery of each story: never one for members only.
    stories = Story.objects.public().select_related("surgery")
    stories = stories.filter(surgery__in=scope).exclude(surgery__audience=Audience.MEMBERS)
    return list(stories.order_by("-published_at", "-id")[:REPORT_STORIES])


def _report(
    request: HttpRequest, scope: Scope, ctx: dict, stamp: Callable[[], str]
) -> HttpResponse:
    today = timezone.localdate()
    asked = "from" in request.GET or "to" in request.GET
    default = {"from": _twelve_months_from(today).isoformat(), "to": today.isoformat()}
    form = DateRangeForm(request.GET if asked else default)
    start, end = form.dates
    ctx |= {
        "form": form,
        "stories": functools.cache(lambda: _stories(scope)),
        **_figures(request, scope, start, end, ctx["chart_base"], stamp),
    }
    return render(request, "impact/report.html", ctx)


@visitor_page(SURGERY)
def surgery_report(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = _seen(request, slug)
    ctx = {
        "name": surgery.name,
        "surgery": surgery,
        "impact_url": reverse("surgery_impact", args=[slug]),
        "chart_base": f"/surgeries/{slug}/charts/",
    }
    return _report(request, surgery, ctx, lambda: pagecache.surgery_stamp(slug))


@visitor_page()
def area_report(request: HttpRequest, slug: str) -> HttpResponse:
    area = get_object_or_404(Area, slug=slug)
    ctx = {
        "name": _("Social media surgeries in %(name)s") % {"name": area.name},
        "area": area,
        "impact_url": reverse("area", args=[slug]),
        "chart_base": f"/areas/{slug}/charts/",
    }
    return _report(request, _within(area), ctx, pagecache.network_stamp)


# --- The anonymised rows as a spreadsheet, with the figures beside them ----------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _append_text(sheet, row: list) -> None:
    sheet.append(row)
    # openpyxl takes a string starting "=" as a formula: keep what people typed as text.
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _figure_rows(shown: Figures) -> list[list]:
    rows = shown.rows() + shown.more_rows() + shown.booking_rows()
    return [[str(label), value, str(definition)] for _key, label, value, definition in rows]


def _xlsx(request: HttpRequest, scope: Scope, slug: str) -> HttpResponse:
    form, error = _download_range(request)
    if error:
        return error
    start, end = form.dates
    shown = impact_for(scope, start, end).figures
    book = Workbook()
    records = book.active
    assert isinstance(records, Worksheet)  # a new workbook's one sheet
    records.title = _("Records of help")
    records.append(_headings())
    for row in _help_rows(scope, start, end):
        _append_text(records, row)
    totals = book.create_sheet(_("Figures"))
    period = " – ".join(d.isoformat() if d else "…" for d in (start, end))
    totals.append([_("Period"), period if start or end else _("All time"), ""])
    totals.append([_("Figure"), _("Number"), _("What it counts")])
    if shown.being_counted:
        totals.append([str(BEING_COUNTED_MESSAGE), "", ""])
    for row in _figure_rows(shown):
        totals.append(row)
    for sheet, header in ((records, 1), (totals, 2)):
        for cell in sheet[header]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    for column, width in zip("ABCDEFGH", (12, 30, 22, 8, 40, 9, 7, 7), strict=True):
        records.column_dimensions[column].width = width
    for column, width in zip("ABC", (44, 12, 90), strict=True):
        totals.column_dimensions[column].width = width
    for (cell,) in totals.iter_rows(min_row=3, min_col=3, max_col=3):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    filename = _filename(slug, start, end, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def surgery_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    return _xlsx(request, surgery, surgery.slug)


def area_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_figures(request, slug)
    return _xlsx(request, _within(area), area.slug)
