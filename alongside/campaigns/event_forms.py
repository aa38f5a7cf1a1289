"""The form for a chapter's local event: it validates and converts, nothing more."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.lib.fields import ShowsLimits

MOST_PLACES = 2000
MOST_DONATION = Decimal("10000")


class EventForm(ShowsLimits, forms.Form):
    title = forms.CharField(
        label=_("Name of the event"),
        max_length=120,
        help_text=_("For example: Quiz night at the Red Lion."),
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue_name = forms.CharField(label=_("Where: the venue's name"), max_length=120)
    venue_address = forms.CharField(label=_("The venue's address"), max_length=250)
    places = forms.IntegerField(
        label=_("How many places"),
        min_value=1,
        max_value=MOST_PLACES,
        help_text=_("When they are all taken, people can join a waiting list."),
    )
    suggested_donation = forms.DecimalField(
        label=_("Suggested donation on the night"),
        required=False,
        min_value=Decimal(0),
        max_value=MOST_DONATION,
        max_digits=7,
        decimal_places=2,
        help_text=_("Leave it empty if there is none. Places are always free to book."),
    )
    notes = forms.CharField(
        label=_("Anything else people should know"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, today: dt.date, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["suggested_donation"].label = _(
            "Suggested donation on the night, in %(currency)s"
        ) % {"currency": currency}

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        if date < self.today:
            raise forms.ValidationError(_("Choose today or a day still to come."))
        return date

    def clean(self):
        data = super().clean() or self.cleaned_data
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("It needs to end after it starts."))
        return data
