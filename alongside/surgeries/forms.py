from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.surgeries.models import Session, Surgery, Venue


class SurgeryForm(forms.ModelForm):
    class Meta:
        model = Surgery
        fields = [
            "name",
            "place_name",
            "description",
            "who_for",
            "host_organisation",
            "contact_name",
            "contact_email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "who_for": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "name": _("For example: Stourbridge Social Media Surgery."),
            "contact_email": _("Shown on the surgery's page so people can ask questions."),
        }


class SessionForm(forms.ModelForm):
    new_venue_name = forms.CharField(label=_("New venue name"), max_length=120, required=False)
    new_venue_address = forms.CharField(
        label=_("New venue address"), max_length=250, required=False
    )
    new_venue_postcode = forms.CharField(
        label=_("New venue postcode"), max_length=10, required=False
    )

    class Meta:
        model = Session
        fields = [
            "date",
            "start_time",
            "end_time",
            "venue",
            "online_url",
            "help_places",
            "surgeon_places",
            "notes",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "venue": _("Pick a venue you have used before, or add a new one below."),
            "online_url": _("For sessions held online, the link people use to join."),
            "help_places": _("How many people wanting help you can welcome."),
            "surgeon_places": _("How many volunteer surgeons you would like."),
        }

    def __init__(self, *args, surgery, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(surgery=surgery)
        self.fields["venue"].required = False
        self.fields["venue"].empty_label = _("A new venue, or online")
        self.fields["help_places"].min_value = 1
        self.fields["help_places"].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        if data.get("new_venue_name") and not data.get("new_venue_address"):
            self.add_error("new_venue_address", _("Enter the new venue's address."))
        if not (data.get("venue") or data.get("new_venue_name") or data.get("online_url")):
            self.add_error("venue", _("Choose a venue, add a new one, or give an online link."))
        return data
