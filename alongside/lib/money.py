"""Amounts of money as people read them: "£1,519.00", "CA$7,000.00", "1,200.00 CHF".

Always from `Decimal`, never through a float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$"}
CENT = Decimal("0.01")


def money_text(amount: Decimal | None, currency: str, *, whole: bool = False) -> str:
    """Two places, grouped by thousands; `whole` drops ".00" from a round amount ("£5")."""
    amount = (amount or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    figures = f"{abs(amount):,}"
    if whole and amount == amount.to_integral_value():
        figures = f"{abs(amount):,.0f}"
    if symbol := SYMBOLS.get(currency):
        return f"{sign}{symbol}{figures}"
    return f"{sign}{figures} {currency}".strip()
