"""The forms for a group's profile and for adding a group: they validate and convert."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from alongside.groups.profiles import ProfileDetails
from alongside.lib import geo
from alongside.lib.fields import ShowsLimits
from alongside.surgeries.forms import TopicsField
from alongside.surgeries.models import Organisation

# How many social accounts a group may list: more is a list of links, not a profile.
MOST_SOCIALS = 10
# Around the UK, where every surgery is: a point outside is two numbers the wrong way round.
UK = ((49.8, 60.9), (-8.7, 1.8))


def _web_address(text: str) -> str:
    """An address typed without its https://, as most people type them, gets one."""
    text = text.strip()
    if text and not re.match(r"^[a-z]+://", text, re.IGNORECASE):
        text = "https://" + text
    return text


def parse_point(text: str) -> tuple[float, float] | None:
    """A point pasted from a map, in the UK: one outside is two numbers the wrong way round."""
    point = geo.parse_point(text)
    if point is None:
        return None
    (south, north), (west, east) = UK
    if not (south <= point[0] <= north and west <= point[1] <= east):
        return None
    return point


class PlaceFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of group is it?"), choices=Organisation.Kind.choices
    )
    postcode_district = forms.CharField(
        label=_("Postcode or postcode area"),
        max_length=10,
        required=False,
        help_text=_(
            "Where the group meets, for example B62 or DY8 1DE. We keep only the first part "
            "(B62), never a full address."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    point = forms.CharField(
        label=_("Or a point on a map"),
        max_length=60,
        required=False,
        help_text=_(
            "If it meets in a park or somewhere with no postcode: paste its latitude and "
            "longitude, for example 52.45, -2.05."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )
    website = forms.CharField(
        label=_("Website"),
        max_length=300,
        required=False,
        help_text=_("For example: friendsofleasowes.org.uk"),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    socials = forms.CharField(
        label=_("Facebook, Instagram and other accounts"),
        required=False,
        max_length=3000,
        help_text=_("One address on each line, for example facebook.com/friendsofleasowes."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_postcode_district(self) -> str:
        text = self.cleaned_data["postcode_district"]
        if not text.strip():
            return ""
        postcode = geo.parse_postcode(text)
        if postcode is None or geo.postcode_position(postcode.outward) is None:
            raise ValidationError(_("Enter a UK postcode, or just its first part, like B62."))
        return postcode.outward

    def clean_point(self) -> tuple[float, float] | None:
        text = self.cleaned_data["point"]
        if not text.strip():
            return None
        point = parse_point(text)
        if point is None:
            raise ValidationError(
                _("Enter the latitude, then the longitude, for example 52.45, -2.05.")
            )
        return point

    def clean_website(self) -> str:
        url = _web_address(self.cleaned_data["website"])
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise ValidationError(
                    _("Enter the website's address, for example friendsofleasowes.org.uk")
                ) from None
        return url

    def clean_socials(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["socials"].splitlines()]
        urls, wrong = [], []
        for line in filter(None, lines):
            url = _web_address(line)
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                wrong.append(line)
                continue
            urls.append(url)
        if wrong:
            raise ValidationError(
                _("These are not web addresses: %(wrong)s. Put one address on each line.")
                % {"wrong": ", ".join(wrong)}
            )
        if len(urls) > MOST_SOCIALS:
            raise ValidationError(
                _("List at most %(most)s accounts: the ones people use most.")
                % {"most": MOST_SOCIALS}
            )
        return list(dict.fromkeys(urls))

    def details(self, **extra) -> ProfileDetails:
        data = self.cleaned_data
        return ProfileDetails(
            kind=data["kind"],
            postcode_district=data["postcode_district"],
            position=data["point"],
            website=data["website"],
            socials=data["socials"],
            **extra,
        )


class ProfileForm(ShowsLimits, PlaceFields):
    interests = forms.CharField(
        label=_("What is your group interested in?"),
        max_length=1000,
        required=False,
        help_text=_("A sentence or two, for example: walks, litter picks and bird surveys."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topics = TopicsField(label=_("What would your group like to get better at online?"))
    listed = forms.BooleanField(
        label=_("List our group publicly"),
        required=False,
        help_text=_(
            "Other groups nearby can then find your group's name, kind, postcode area, "
            "interests, website and accounts. Never who booked or who your contacts are."
        ),
    )

    field_order = [
        "kind", "interests", "topics", "postcode_district", "point", "website", "socials",
        "listed",
    ]  # fmt: skip

    def details(self, **extra) -> ProfileDetails:
        data = self.cleaned_data
        return super().details(
            interests=data["interests"],
            topics=data["topics"],
            listed=data["listed"],
            **extra,
        )


class AddGroupForm(ShowsLimits, PlaceFields):
    name = forms.CharField(label=_("The group's name"), max_length=200)

    field_order = ["name", "kind", "postcode_district", "point", "website", "socials"]

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())
