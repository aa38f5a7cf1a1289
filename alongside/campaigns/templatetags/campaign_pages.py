"""Amounts of money as people read them: "£1,519.00", "CA$7,000.00", "1,200.00 CHF"."""

from __future__ import annotations

from decimal import Decimal

from django import template

from alongside.lib.money import money_text

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """Two places, grouped by thousands, in Decimal: never through a float."""
    return money_text(amount, currency)
