"""Money added up: a chapter's reconciliation and the campaign's report (page, CSV, XLSX).

Totals are summed by the database per group and kept as `Decimal`; each total is the sum of
its rows (tests recount them in Python). Gross, fees and net stay apart, refunds included as
the negative entries they are.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from alongside.campaigns.access import campaign_for_team
from alongside.campaigns.models import Campaign, Chapter, Donation, DonationImport, Rate, Stream

ZERO = Decimal("0.00")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Line:
    """One group's totals: in its own currency, and in the campaign's where converted."""

    label: str
    currency: str
    count: int
    gross: Decimal
    fees: Decimal
    net: Decimal
    campaign_gross: Decimal = ZERO
    campaign_net: Decimal = ZERO
    waiting: int = 0  # donations with no rate yet, so not in the campaign amounts


def _sums(queryset, *group: str) -> list[dict]:
    """Totals per group, summed by the database (exact NUMERIC on PostgreSQL; on SQLite each
    total is brought back to the penny as a Decimal by the field)."""
    return list(
        queryset.values(*group)
        .annotate(
            # Named apart from the fields: an annotation may not shadow the column it sums.
            n=Count("pk"),
            sum_gross=Sum("gross"),
            sum_fees=Sum("fees"),
            sum_net=Sum("net"),
            sum_campaign_gross=Sum("campaign_gross"),
            sum_campaign_net=Sum("campaign_net"),
            waiting=Count("pk", filter=Q(campaign_net__isnull=True)),
        )
        .order_by(*group)
    )


def _penny(value: Decimal | None) -> Decimal:
    # SQLite hands a sum back with more places than the column has; the value is the same.
    return (value or ZERO).quantize(ZERO, rounding=ROUND_HALF_UP)


def _line(label: str, row: dict) -> Line:
    return Line(
        label=label,
        currency=row.get("currency", ""),
        count=row["n"],
        gross=_penny(row["sum_gross"]),
        fees=_penny(row["sum_fees"]),
        net=_penny(row["sum_net"]),
        campaign_gross=_penny(row["sum_campaign_gross"]),
        campaign_net=_penny(row["sum_campaign_net"]),
        waiting=row["waiting"],
    )


def stream_label(stream: str, provider: str) -> str:
    """Short enough for a phone's table: "Cash", "TicketTree file", "PayFriend live"."""
    if stream == Stream.IMPORT:
        return _("%(provider)s file") % {"provider": provider}
    if stream == Stream.WEBHOOK:
        return _("%(provider)s live") % {"provider": provider}
    return str(Stream(stream).label)


# --- A chapter's reconciliation --------------------------------------------------------------


def reconciliation(chapter: Chapter) -> dict:
    """Per stream (each provider apart) and currency, and each import file: two queries."""
    rows = _sums(Donation.objects.filter(chapter=chapter), "stream", "provider", "currency")
    streams = [_line(stream_label(r["stream"], r["provider"]), r) for r in rows]
    imports = list(
        DonationImport.objects.filter(chapter=chapter)
        .select_related("imported_by")
        .annotate(sum_net=Sum("donations__net"))
    )
    for record in imports:
        record.sum_net = _penny(record.sum_net)
    return {"streams": streams, "imports": imports}


# --- The campaign's report -------------------------------------------------------------------


@dataclass
class Report:
    campaign: Campaign
    chapters: list[Line]
    streams: list[Line]
    currencies: list[Line]
    total: Line
    rates: list[Rate]


def campaign_report(campaign: Campaign) -> Report:
    donations = Donation.objects.filter(chapter__campaign=campaign)
    names = dict(Chapter.objects.filter(campaign=campaign).values_list("pk", "city"))
    chapters = [_line(names[r["chapter"]], r) for r in _sums(donations, "chapter", "currency")]
    chapters.sort(key=lambda line: (line.label, line.currency))
    streams = [
        _line(stream_label(r["stream"], r["provider"]), r)
        for r in _sums(donations, "stream", "provider", "currency")
    ]
    currencies = [_line(r["currency"], r) for r in _sums(donations, "currency")]
    # Only the campaign's currency adds up across every currency.
    total = Line(_("All donations"), campaign.currency, 0, ZERO, ZERO, ZERO)
    for line in currencies:
        total.count += line.count
        total.campaign_gross += line.campaign_gross
        total.campaign_net += line.campaign_net
        total.waiting += line.waiting
    used = Donation.objects.filter(chapter__campaign=campaign, rate__isnull=False)
    rates = list(Rate.objects.filter(pk__in=used.values("rate")).order_by("currency", "on"))
    return Report(campaign, chapters, streams, currencies, total, rates)


def _cell(value: object) -> object:
    # A spreadsheet runs a cell starting with one of these as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def report_rows(report: Report) -> list[list[object]]:
    """The report as rows: amounts as exact Decimal strings, never floats."""
    currency = report.campaign.currency
    head = [
        _("Section"), _("Name"), _("Currency"), _("Donations"), _("Gross"), _("Fees"), _("Net"),
        _("Gross in %(c)s") % {"c": currency}, _("Net in %(c)s") % {"c": currency},
        _("Waiting for a rate"),
    ]  # fmt: skip
    rows: list[list[object]] = [list(head)]
    for section, lines in (
        (_("Chapter"), report.chapters),
        (_("Stream"), report.streams),
        (_("Currency"), report.currencies),
    ):
        for line in lines:
            rows.append(
                [
                    section,
                    line.label,
                    line.currency,
                    line.count,
                    str(line.gross),
                    str(line.fees),
                    str(line.net),
                    str(line.campaign_gross),
                    str(line.campaign_net),
                    line.waiting,
                ]  # fmt: skip
            )
    t = report.total
    rows.append(
        [
            _("Total"),
            t.label,
            "",
            t.count,
            "",
            "",
            "",
            str(t.campaign_gross),
            str(t.campaign_net),
            t.waiting,
        ]
    )
    rows.append([])
    rows.append(
        [_("Rate"), _("Currency"), _("From"), _("Worth in %(c)s") % {"c": currency}, _("Source")]
    )
    for rate in report.rates:
        rows.append(
            [_("Rate"), rate.currency, rate.on.isoformat(), str(rate.per_unit), rate.source]
        )
    return [[_cell(v) for v in row] for row in rows]


@login_required
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    return render(
        request,
        "campaigns/report.html",
        {"campaign": campaign, "report": campaign_report(campaign)},
    )


@login_required
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-money.csv"'
    writer = csv.writer(response)
    writer.writerows(report_rows(campaign_report(campaign)))
    return response


@login_required
def report_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_for_team(request, slug)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = _("Money")
    for row in report_rows(campaign_report(campaign)):
        sheet.append(row)
        # openpyxl takes a string starting "=" as a formula: keep it as text.
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-money.xlsx"'
    book.save(response)
    return response
