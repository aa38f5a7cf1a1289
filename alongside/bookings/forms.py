from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.lib.fields import TopicsField

NAME_REQUIRED = {"required": _("Enter your name.")}
EMAIL_REQUIRED = {"required": _("Enter your email address, so we can confirm your place.")}


class BookingForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100, error_messages=NAME_REQUIRED)
    email = forms.EmailField(
        label=_("Your email address"),
        error_messages=EMAIL_REQUIRED,
        help_text=_("We send your confirmation here, with a link to cancel if plans change."),
    )
    organisation = forms.CharField(
        label=_("The group or organisation you are coming for (if any)"),
        max_length=200,
        required=False,
        help_text=_("For example: Friends of Mary Stevens Park. Leave empty if it is just you."),
    )
    goal = forms.CharField(
        label=_("What would you like to achieve?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Tell us in a few words what you would like to achieve.")},
        help_text=_("A sentence is plenty, e.g. \u201cget more people to our litter picks\u201d."),
    )
    topics = TopicsField(label=_("What might you like help with?"))
    consent_contact = forms.BooleanField(
        label=_("You may email me about this booking"),
        error_messages={"required": _("Tick this so we can send your confirmation.")},
    )


class SurgeonOfferForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100, error_messages=NAME_REQUIRED)
    email = forms.EmailField(
        label=_("Your email address"),
        error_messages=EMAIL_REQUIRED,
        help_text=_("We send your confirmation here, with a link to cancel if plans change."),
    )
    topics = TopicsField(label=_("What could you help with?"))
    consent_contact = forms.BooleanField(
        label=_("You may email me about helping at this session"),
        error_messages={"required": _("Tick this so we can send your confirmation.")},
    )
