"""Amounts of money as people read them: "£1,519.00", "CA$7,000.00", "1,200.00 CHF"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$"}
CENT = Decimal("0.01")


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """Two places, grouped by thousands, in Decimal: never through a float."""
    amount = (amount or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    figures = f"{abs(amount):,}"
    if symbol := SYMBOLS.get(currency):
        return f"{sign}{symbol}{figures}"
    return f"{sign}{figures} {currency}"
