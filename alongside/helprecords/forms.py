from __future__ import annotations

from typing import cast

from django import forms
from django.db.models.functions import Lower
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alongside.accounts import consents
from alongside.bookings.models import Booking
from alongside.helprecords.models import FollowUp, HelpRecord, Story
from alongside.lib.fields import EmailAddressField, LinksField, ShowsLimits
from alongside.surgeries.forms import TopicsField
from alongside.surgeries.models import Organisation


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Booking) -> str:
        if obj.organisation is not None:
            return f"{obj.name} ({obj.organisation.name})"
        return obj.name


class RecordFields(ShowsLimits, forms.Form):
    """What was done: the same few fields whoever fills them in."""

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
    minutes = forms.IntegerField(
        label=_("Minutes spent"),
        min_value=1,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    public = forms.BooleanField(
        label=_("They agreed this help may be shown publicly"),
        required=False,
        help_text=format_lazy(
            _("Ask them first, in these words: \u201c{wording}\u201d"),
            wording=consents.CONSENT_WORDING[consents.PUBLIC][1],
        ),
    )


class HelpRecordForm(RecordFields):
    """Who, by whom and what: names in alphabetical order, and a person chosen for you only
    when it is certain (the record of a pairing, or the one person at the session)."""

    booking = PersonChoiceField(
        label=_("Who was helped?"),
        queryset=Booking.objects.none(),
        empty_label=_("Choose the person"),
        error_messages={"required": _("Choose who was helped.")},
    )
    surgeon = PersonChoiceField(
        label=_("Which surgeon helped?"),
        queryset=Booking.objects.none(),
        required=False,
        empty_label=_("Not recorded"),
    )
    field_order = ["booking", "surgeon"]

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            session.bookings.exclude(status=Booking.Status.CANCELLED)
            .select_related("organisation")
            .order_by(Lower("name"), "id")
        )
        booking = cast(PersonChoiceField, self.fields["booking"])
        booking.queryset = people.filter(role=Booking.Role.HELP)
        surgeon = cast(PersonChoiceField, self.fields["surgeon"])
        surgeon.queryset = people.filter(role=Booking.Role.SURGEON)
        if not self.is_bound and not self.initial.get("booking"):
            only = list(booking.queryset[:2])
            if len(only) == 1:
                self.initial["booking"] = only[0]


class WalkInForm(forms.Form):
    role = forms.ChoiceField(
        label=_("They are here to"),
        choices=[(Booking.Role.HELP, _("Get help")), (Booking.Role.SURGEON, _("Help others"))],
        widget=forms.RadioSelect,
        initial=Booking.Role.HELP,
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, error_messages={"required": _("Enter their name.")}
    )
    email = EmailAddressField(
        label=_("Email"), required=False, help_text=_("So we can say thank you afterwards.")
    )
    organisation = forms.CharField(
        label=_("Their group or organisation"),
        max_length=200,
        required=False,
        help_text=_("If they came for a group, charity or club. Leave it empty if not."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    topics = TopicsField(label=_("Topics"))


CONFIDENCE_CHOICES = [
    (1, _("1 – Not at all")),
    (2, _("2 – A little")),
    (3, _("3 – Fairly")),
    (4, _("4 – Quite")),
    (5, _("5 – Very")),
]


class FollowUpForm(ShowsLimits, forms.Form):
    """Six weeks on: two questions and a comment, for someone with no account."""

    still_using = forms.ChoiceField(
        label=_("Are you still using what you set up?"),
        choices=FollowUp.StillUsing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you are still using what you set up.")},
    )
    confidence_before = forms.TypedChoiceField(
        label=_(
            "How confident did you feel about using the web for your group before the surgery?"
        ),
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how confident you felt before the surgery.")},
    )
    confidence_now = forms.TypedChoiceField(
        label=_("…and now?"),
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how confident you feel now.")},
    )
    comment = forms.CharField(
        label=_("Anything else you would like to tell us?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class HelpRecordChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: HelpRecord) -> str:
        who = obj.booking.organisation.name if obj.booking.organisation else obj.booking.name
        return f"{obj.session.date:%-d %B %Y}, {who}: {obj.note}"


class StoryForm(ShowsLimits, forms.ModelForm):
    """A story about one group; publishing it needs the consent box ticked."""

    PUBLISH = "publish"

    organisation = forms.ModelChoiceField(
        label=_("Which group is it about?"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No group, or not named"),
    )
    help_records = HelpRecordChoiceField(
        label=_("Which help does it follow on from?"),
        queryset=HelpRecord.objects.none(),
        required=False,
    )

    class Meta:
        model = Story
        fields = ["title", "text", "organisation", "help_records", "consent"]
        labels = {
            "title": _("Title"),
            "text": _("What did they go on to do?"),
            "consent": _("The person it is about agreed it can be shown publicly"),
        }
        help_texts = {
            "title": _(
                "A few words, e.g. \u201cThe litter pickers fill their first minibus\u201d."
            ),
            "consent": _("Without this the story stays here, seen only by the organisers."),
        }
        error_messages = {
            "title": {"required": _("Give the story a title.")},
            "text": {"required": _("Write the story.")},
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, surgery, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = Organisation.objects.filter(
            bookings__session__surgery=surgery
        ).distinct()
        help_records = cast(HelpRecordChoiceField, self.fields["help_records"])
        help_records.queryset = HelpRecord.objects.filter(session__surgery=surgery).select_related(
            "session", "booking__organisation"
        )

    def clean(self):
        data = super().clean() or self.cleaned_data
        if self.action == self.PUBLISH and not data.get("consent"):
            self.add_error(
                "consent",
                _(
                    "This story cannot be published until the person it is about has agreed "
                    "it can be shown publicly. Tick the box once they have, or save it as a draft."
                ),
            )
        return data
