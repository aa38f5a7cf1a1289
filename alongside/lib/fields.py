"""Form fields shared by several forms."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django import forms
from django.core.validators import URLValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class LinksField(forms.CharField):
    """Web addresses, one per line. "example.org" is taken to mean https://example.org."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value) or ""
        links = []
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            if "://" not in line:
                line = f"https://{line}"
            links.append(line)
        return links

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        check = URLValidator(schemes=["http", "https"])
        bad = []
        for link in value:
            try:
                check(link)
            except forms.ValidationError:
                bad.append(link)
            if len(link) > 500:
                bad.append(link)
        if bad:
            raise forms.ValidationError(
                _("These do not look like web addresses: %(links)s"),
                params={"links": ", ".join(bad)},
            )


# Dates people type: within these many years of today. Wide enough for any surgery's past
# and plans, narrow enough that a typo ("2206") or 9999-12-31 never reaches date arithmetic
# (a day either side of 9999-12-31 is past the end of the calendar: a server error).
YEARS_BACK, YEARS_AHEAD = 30, 10


def check_sensible_date(value: dt.date) -> None:
    today = timezone.localdate().replace(day=1)
    first = today.replace(year=today.year - YEARS_BACK)
    last = today.replace(year=today.year + YEARS_AHEAD)
    if not first <= value <= last:
        raise forms.ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={
                "first": formats.date_format(first, "j F Y"),
                "last": formats.date_format(last, "j F Y"),
            },
        )


def check_deliverable_address(value: str) -> None:
    """Refuse what Django's email check lets through but no one reads mail at."""
    domain = value.rpartition("@")[2]
    if domain.startswith("["):
        raise forms.ValidationError(
            _("Enter an email address with a name after the @, like pat@example.org."),
            code="ip_literal",
        )
    # Invisible characters (a zero-width space, a direction mark) make two addresses look
    # the same to people while being different to us.
    if any(unicodedata.category(c) in ("Cf", "Cc", "Co", "Cn", "Zs") for c in value):
        raise forms.ValidationError(
            _("This email address has a hidden character in it. Please type it again."),
            code="hidden_character",
        )


class EmailAddressField(forms.EmailField):
    default_validators = [*forms.EmailField.default_validators, check_deliverable_address]


class ShowsLimits:
    """Long text boxes say their limit before anyone types, and keep all that was typed.

    A `maxlength` on a text box makes the browser drop, without a word, whatever is pasted
    past the limit: a 5,000-character answer would arrive cut to 2,000. So no box has a
    `maxlength`; the form refuses what is too long, saying so and showing the text again to
    shorten. Long text boxes say their limit in their hint; one-line boxes (a name, a group)
    have limits no one meets by typing, so their hint stays short.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if not limit:
                continue
            field.widget.attrs.pop("maxlength", None)
            shown = f"{limit:,}"
            if isinstance(field.widget, forms.Textarea):
                hint = _("Up to %(limit)s characters.") % {"limit": shown}
                field.help_text = f"{field.help_text} {hint}" if field.help_text else hint
            field.error_messages["max_length"] = _(
                "This is %(show_value)s characters long. Please shorten it to %(limit)s "
                "characters or fewer: what you wrote is still here to edit."
            ) % {"limit": shown, "show_value": "%(show_value)s"}
