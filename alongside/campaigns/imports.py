"""Reading a payment provider's CSV export into donations, through its column mapping.

Parsing only: nothing here saves anything. `money.import_preview` and `money.import_commit`
decide what is new and what was already counted. Amounts are read as `Decimal` from the text
of each cell, never through a float.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from alongside.campaigns.models import Campaign, ProviderMapping

# Two payment providers' export formats, shipped so a campaign can import them straight away.
SHIPPED = Path(__file__).with_name("providers.json")
MAX_ROWS = 20_000
CENT = Decimal("0.01")


def shipped_mappings() -> dict[str, dict[str, str]]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def mapping_for(campaign: Campaign, provider: str) -> ProviderMapping | None:
    """The campaign's mapping for a provider, set up from the shipped one the first time."""
    found = ProviderMapping.objects.filter(campaign=campaign, provider=provider).first()
    if found is None and provider in shipped_mappings():
        found, _made = ProviderMapping.objects.get_or_create(
            campaign=campaign, provider=provider, defaults=shipped_mappings()[provider]
        )
    return found


def providers(campaign: Campaign) -> list[str]:
    own = ProviderMapping.objects.filter(campaign=campaign).values_list("provider", flat=True)
    return sorted(set(own) | set(shipped_mappings()))


@dataclass
class Row:
    """One line of an export: a donation to add, or a problem with its reason."""

    line: int
    reference: str = ""
    received_on: dt.date | None = None
    currency: str = ""
    gross: Decimal = Decimal(0)
    fees: Decimal = Decimal(0)
    problem: str = ""

    @property
    def net(self) -> Decimal:
        return self.gross - self.fees

    @property
    def is_refund(self) -> bool:
        return self.gross < 0


def amount(text: str) -> Decimal:
    """ "£1,234.50", "-10.00", "(10.00)" as a Decimal to the penny; ValueError otherwise."""
    cleaned = text.strip().replace(",", "").lstrip("£$€")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as e:
        raise ValueError(text) from e
    if not value.is_finite() or value != value.quantize(CENT) or abs(value) >= Decimal("1e10"):
        raise ValueError(text)
    return -value if negative else value


def parse(content: str, mapping: ProviderMapping) -> tuple[list[Row], str]:
    """Every data row of the export, and a problem with the whole file ("" if none)."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    headings = set(reader.fieldnames or [])
    needed = [mapping.date_column, mapping.amount_column, mapping.reference_column]
    needed += [c for c in (mapping.currency_column, mapping.fees_column) if c]
    missing = [c for c in needed if c not in headings]
    if missing:
        return [], _("This file has no column called %(names)s. Is it the right provider?") % {
            "names": ", ".join(f"“{c}”" for c in missing)
        }
    rows: list[Row] = []
    seen: set[str] = set()
    for number, cells in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            return [], _("This file has more than %(n)s rows: split it.") % {"n": MAX_ROWS}
        if not any((v or "").strip() for v in cells.values() if isinstance(v, str)):
            continue
        rows.append(_row(number, cells, mapping, seen))
    if not rows:
        return [], _("This file has no rows of donations.")
    return rows, ""


def _row(number: int, cells: dict, mapping: ProviderMapping, seen: set[str]) -> Row:
    row = Row(line=number)

    def cell(column: str) -> str:
        return (cells.get(column) or "").strip() if column else ""

    row.reference = cell(mapping.reference_column)[:120]
    if not row.reference:
        row.problem = _("It has no reference.")
        return row
    if row.reference in seen:
        row.problem = _("The same reference is on an earlier row.")
        return row
    seen.add(row.reference)
    try:
        written = cell(mapping.date_column)
        # A date only: no time, so no time zone to get wrong.
        row.received_on = dt.datetime.strptime(written, mapping.date_format).date()  # noqa: DTZ007
    except ValueError:
        row.problem = _("The date “%(date)s” is not in the expected form.") % {
            "date": cell(mapping.date_column)[:40]
        }
        return row
    row.currency = (cell(mapping.currency_column) or mapping.currency).upper()
    if len(row.currency) != 3 or not row.currency.isalpha():
        row.problem = _("It has no three-letter currency.")
        return row
    try:
        row.gross = amount(cell(mapping.amount_column))
        row.fees = amount(cell(mapping.fees_column)) if cell(mapping.fees_column) else Decimal(0)
    except ValueError:
        row.problem = _("An amount is not a number to the penny.")
        return row
    if row.gross == 0:
        row.problem = _("The amount is nothing.")
        return row
    # A provider that marks refunds in a column of their own shows the amount as positive.
    if mapping.refund_column and cell(mapping.refund_column) == mapping.refund_value:
        row.gross, row.fees = -abs(row.gross), -abs(row.fees)
    return row
