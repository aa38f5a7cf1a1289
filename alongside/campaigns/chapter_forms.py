"""Forms for proposing a chapter, deciding on one, and inviting its volunteers."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal
from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.campaigns.models import VolunteerRole
from alongside.campaigns.models.campaign import country_code, currency_code

# The countries people are most likely to pick first; any other two-letter code is fine.
COMMON_COUNTRIES = [
    ("GB", _("United Kingdom")),
    ("IE", _("Ireland")),
    ("US", _("United States")),
    ("CA", _("Canada")),
    ("AU", _("Australia")),
    ("NZ", _("New Zealand")),
    ("DE", _("Germany")),
    ("FR", _("France")),
    ("NL", _("Netherlands")),
    ("ES", _("Spain")),
    ("IN", _("India")),
    ("ZA", _("South Africa")),
]
OTHER = "other"
COMMON_CURRENCIES = [
    ("GBP", _("Pounds (GBP)")),
    ("EUR", _("Euros (EUR)")),
    ("USD", _("US dollars (USD)")),
    ("CAD", _("Canadian dollars (CAD)")),
    ("AUD", _("Australian dollars (AUD)")),
    ("NZD", _("New Zealand dollars (NZD)")),
    ("INR", _("Indian rupees (INR)")),
    ("ZAR", _("South African rand (ZAR)")),
]
REGIONS = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@cache
def time_zone_choices() -> list:
    """Places' zones grouped by region, without the old aliases ("US/Eastern", "Etc/GMT+5")."""
    names = sorted(
        n for n in zoneinfo.available_timezones() if n.split("/")[0] in REGIONS and "/" in n
    )
    return [
        ("", _("Choose one")),
        *[
            (
                region,
                [
                    (n, n.split("/", 1)[1].replace("_", " "))
                    for n in names
                    if n.startswith(region + "/")
                ],
            )
            for region in REGIONS
        ],
    ]


class ChapterProposalForm(forms.Form):
    city = forms.CharField(label=_("City or town"), max_length=120)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[*COMMON_COUNTRIES, (OTHER, _("Somewhere else"))],
    )
    other_country = forms.CharField(
        label=_("Somewhere else: its two-letter code"),
        help_text=_("For example JP for Japan or BR for Brazil."),
        max_length=2,
        required=False,
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Choose the nearest big city in the same time zone as you."),
        choices=time_zone_choices,
    )
    currency = forms.ChoiceField(
        label=_("Money you will raise in"),
        choices=[*COMMON_CURRENCIES, (OTHER, _("Another currency"))],
    )
    other_currency = forms.CharField(
        label=_("Another currency: its three-letter code"),
        help_text=_("For example JPY or CHF."),
        max_length=3,
        required=False,
    )
    target = forms.DecimalField(
        label=_("Your target"),
        help_text=_("How much you hope to raise, in that currency. You can aim high."),
        min_value=Decimal("1"),
        max_digits=12,
        decimal_places=2,
    )
    name = forms.CharField(
        label=_("Your first name"),
        help_text=_("Shown on the chapter's page as its lead, once it is approved."),
        max_length=60,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("country") == OTHER:
            code = (data.get("other_country") or "").strip().upper()
            try:
                country_code(code)
            except forms.ValidationError:
                self.add_error("other_country", _("Type the two-letter code, such as JP."))
            data["country"] = code
        if data.get("currency") == OTHER:
            code = (data.get("other_currency") or "").strip().upper()
            try:
                currency_code(code)
            except forms.ValidationError:
                self.add_error("other_currency", _("Type the three-letter code, such as CHF."))
            data["currency"] = code
        return data


class DecisionForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"
    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))])
    message = forms.CharField(
        label=_("A kind word for them (if you decline)"),
        help_text=_("Sent to whoever proposed it. Say why, and what they could do instead."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Their first name"), max_length=60)
    email = forms.EmailField(label=_("Their email address"))
    role = forms.ChoiceField(
        label=_("What they will do"),
        choices=VolunteerRole.choices,
        initial=VolunteerRole.VOLUNTEER,
        widget=forms.RadioSelect,
        help_text=_("Leads can invite others and run the chapter with you."),
    )
