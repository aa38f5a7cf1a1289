from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts import consents
from alongside.interest.places import NEARBY_MILES
from alongside.interest.services import InterestDetails
from alongside.lib import geo
from alongside.lib.antispam import SpamChecks
from alongside.lib.fields import EmailAddressField, ShowsLimits

COME, HELP, ORGANISE = "come", "help", "organise"
ROLE_CHOICES = [
    (COME, _("I'd come for help with the web for my group")),
    (HELP, _("I'd help as a surgeon, sitting alongside people")),
    (ORGANISE, _("I'd organise one: find a venue and invite people")),
]


class InterestForm(SpamChecks, ShowsLimits, forms.Form):
    place = forms.CharField(
        label=_("Your town or postcode"),
        max_length=80,
        help_text=_("For example Kidderminster, WR10 or WR10 1AB."),
        error_messages={"required": _("Enter your town or postcode.")},
    )
    roles = forms.MultipleChoiceField(
        label=_("What would you do?"),
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose as many as you like."),
        error_messages={"required": _("Choose at least one thing you would do.")},
    )
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    group = forms.CharField(
        label=_("Your group or organisation"),
        max_length=200,
        required=False,
        help_text=_("For example: Friends of Brinton Park."),
    )
    email = EmailAddressField(
        label=_("Your email address"),
        error_messages={"required": _("Enter your email address, so we can tell you.")},
    )
    consent_contact = forms.BooleanField(
        label=consents.wording(consents.INTEREST),
        error_messages={
            "required": _("Tick this so we can email you when a surgery starts near you.")
        },
    )
    # A trap for spam robots, hidden from people (and screen readers) by the page.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_place(self) -> geo.Place:
        query = " ".join(self.cleaned_data["place"].split())
        place = geo.place_for(query)
        if place is None:
            raise forms.ValidationError(
                _("We could not find “%(query)s”. Try a town, or a postcode area such as DY8."),
                params={"query": query},
            )
        if postcode := geo.parse_postcode(query):
            # Keep the postcode area only: enough to put someone on the map, and no more.
            place = place._replace(name=postcode.outward)
        return place

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(
                _("This box is a trap for spam robots. Please leave it empty.")
            )
        return ""

    def details(self) -> InterestDetails:
        data = self.cleaned_data
        roles = set(data["roles"])
        return InterestDetails(
            email=data["email"],
            place=data["place"],
            would_come=COME in roles,
            would_help=HELP in roles,
            would_organise=ORGANISE in roles,
            name=data["name"],
            group=data["group"],
            consent_contact=data["consent_contact"],
        )


MILES: dict[str, Any] = {"min_value": 1, "max_value": 100, "required": False}


class InterestFilterForm(forms.Form):
    no_surgery_within = forms.IntegerField(
        label=_("Only places with no surgery within this many miles"),
        help_text=_("Leave it empty to see every place."),
        **MILES,
    )


class NearbyForm(forms.Form):
    miles = forms.IntegerField(label=_("Look for surgeries within this many miles"), **MILES)

    def clean_miles(self) -> int:
        return self.cleaned_data["miles"] or NEARBY_MILES


class PutInTouchForm(forms.Form):
    """Which nearby surgery to introduce people to; only those the page offered are valid."""

    surgery = forms.TypedChoiceField(coerce=int)

    def __init__(self, *args, surgery_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["surgery"]).choices = [(pk, pk) for pk in surgery_ids]
