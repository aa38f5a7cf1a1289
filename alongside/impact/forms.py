from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.lib.fields import check_sensible_date


class DateRangeForm(forms.Form):
    """From and to dates, both optional and inclusive, named `from` and `to` in the URL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Declared here because `from` cannot be a class attribute's name.
        self.fields["from"] = forms.DateField(
            label=_("From"),
            required=False,
            help_text=_("For example, 2026-01-31."),
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": _("Enter the start date as a real date, like 2026-01-31.")},
            validators=[check_sensible_date],
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            required=False,
            help_text=_("For example, 2026-12-31."),
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": _("Enter the end date as a real date, like 2026-12-31.")},
            validators=[check_sensible_date],
        )

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date must be on or after the start date."))
        return cleaned

    @property
    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        """The range once valid; the whole of time while the form has errors."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("from"), self.cleaned_data.get("to")
