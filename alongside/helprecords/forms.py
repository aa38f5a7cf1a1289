from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.bookings.models import Booking
from alongside.lib.fields import LinksField, TopicsField


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Booking) -> str:
        if obj.organisation_id:
            return f"{obj.name} ({obj.organisation.name})"
        return obj.name


class HelpRecordForm(forms.Form):
    booking = PersonChoiceField(
        label=_("Who was helped?"), queryset=Booking.objects.none(), empty_label=None
    )
    surgeon = PersonChoiceField(
        label=_("Which surgeon helped?"),
        queryset=Booking.objects.none(),
        required=False,
        empty_label=_("Not recorded"),
    )
    topics = TopicsField(label=_("What was it about?"))
    note = forms.CharField(
        label=_("What was done?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say in a line what was done.")},
        help_text=_(
            "A line or two, e.g. \u201cSet up a Facebook page and posted the first event\u201d."
        ),
    )
    links = LinksField(
        label=_("Links to anything set up or improved"),
        required=False,
        help_text=_("One web address per line."),
    )
    public = forms.BooleanField(
        label=_("They agreed this help may be shown publicly"),
        required=False,
        help_text=_("Only what was done and the group's name are shown, never a person's name."),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        people = session.bookings.exclude(status=Booking.Status.CANCELLED).select_related(
            "organisation"
        )
        self.fields["booking"].queryset = people.filter(role=Booking.Role.HELP)
        self.fields["surgeon"].queryset = people.filter(role=Booking.Role.SURGEON)
