from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.accounts import consents
from alongside.bookings.models import Booking
from alongside.bookings.services import BookingDetails
from alongside.lib.antispam import SpamChecks
from alongside.lib.fields import EmailAddressField, ShowsLimits
from alongside.lib.times import uk_time
from alongside.surgeries.forms import TopicsField
from alongside.surgeries.models import Organisation

NAME_REQUIRED = {"required": _("Enter your name.")}
EMAIL_REQUIRED = {"required": _("Enter your email address, so we can confirm your place.")}
JUST_ME = "just_me"
SOMETHING_ELSE = "Something else"


def _kind_choices():
    return [
        ("", _("Choose one")),
        *Organisation.Kind.choices,
        (JUST_ME, _("Just me: I'm not here for a group")),
    ]


class PersonFields(ShowsLimits, forms.Form):
    """What people tell us about themselves and their group, when booking or changing it."""

    name = forms.CharField(label=_("Your name"), max_length=100, error_messages=NAME_REQUIRED)
    organisation = forms.CharField(
        label=_("The group or organisation you are coming for"),
        max_length=200,
        required=False,
        help_text=_("For example: Friends of Mary Stevens Park. Leave empty if it is just you."),
        # No suggestions from what others typed: a group's name can say who booked.
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_kind = forms.ChoiceField(
        label=_("What kind of group is it?"), choices=_kind_choices, required=False
    )
    goal = forms.CharField(
        label=_("What would you like to achieve?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Tell us in a few words what you would like to achieve.")},
        help_text=_("A sentence is plenty, e.g. “get more people to our litter picks”."),
    )
    web_use = forms.ChoiceField(
        label=_("How do you use the web now?"),
        choices=Booking.WebUse.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    topics = TopicsField(label=_("What might you like help with?"))
    access_needs = forms.CharField(
        label=_("Anything that would make it easier for you to come?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("For example: step-free access, large print, a quiet table, a hearing loop."),
    )

    def clean(self):
        data = super().clean() or self.cleaned_data
        if data.get("organisation_kind") == JUST_ME:
            data["organisation"] = ""
        return data

    def details(self, **extra) -> BookingDetails:
        data = self.cleaned_data
        kind = data.get("organisation_kind", "")
        extra.setdefault("email", data.get("email", ""))
        return BookingDetails(
            name=data["name"],
            goal=data.get("goal", ""),
            web_use=data.get("web_use", ""),
            topics=data.get("topics", []),
            organisation_name=data.get("organisation", ""),
            organisation_kind="" if kind == JUST_ME else kind,
            access_needs=data.get("access_needs", ""),
            **extra,
        )


class GroupQuestions(forms.Form):
    """The two questions about meeting other groups, asked of people who book for help."""

    consent_group_news = forms.BooleanField(
        label=consents.wording(consents.GROUP_NEWS),
        required=False,
        help_text=_("If you named your group. Stop any time."),
    )
    consent_introductions = forms.BooleanField(
        label=consents.wording(consents.INTRODUCTIONS),
        required=False,
    )

    def group_consents(self) -> dict[str, bool]:
        data = self.cleaned_data
        # The group news is about a group: someone here just for themselves has none.
        has_group = bool(data.get("organisation"))
        return {
            "consent_group_news": bool(data.get("consent_group_news")) and has_group,
            "consent_introductions": bool(data.get("consent_introductions")),
        }


# What the mixin may count on from the form it is mixed into, for the type checker alone.
if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    _FormBase = forms.BaseForm
else:
    _FormBase = object


class Folds(_FormBase):
    """A form whose optional questions sit folded away under "Tell us more (optional)".

    The fold is a <details>: it opens without JavaScript, and a closed one still sends what
    is in it. It comes back open when something in it needs fixing, so the error summary's
    links lead somewhere visible, and when the person had typed in it.
    """

    folded: list[str] = []
    # Optional choices that stay in sight, after the fold: a choice about email is not hidden.
    after_fold: list[str] = []
    fold_hint: _StrOrPromise = ""
    # Emailing people about their own booking is part of booking it, so the form says so in
    # these words, once, instead of asking with a tick-box; the service records them.
    contact_notice = consents.wording(consents.CONTACT)
    # What its template reads of it besides its fields (lib/keptforms.py).
    shown_attrs = ("fold_hint", "contact_notice")

    def open_fields(self):
        aside = {*self.folded, *self.after_fold}
        return [f for f in self.visible_fields() if f.name not in aside]

    def after_fold_fields(self):
        return [f for f in self.visible_fields() if f.name in self.after_fold]

    def folded_fields(self):
        return [f for f in self.visible_fields() if f.name in self.folded]

    def fold_open(self) -> bool:
        fields = self.folded_fields()
        if any(f.errors for f in fields):
            return True
        typed = [f for f in fields if f.name != "remember"]
        return self.is_bound and any(f.data not in (None, "", [], False) for f in typed)


class BookingForm(Folds, SpamChecks, PersonFields, GroupQuestions):
    email = EmailAddressField(label=_("Your email address"), error_messages=EMAIL_REQUIRED)
    heard_about = forms.ChoiceField(label=_("How did you hear about this surgery?"), required=False)
    remember = forms.BooleanField(
        label=_("Remember my name, email and group on this device for next time"),
        required=False,
    )

    field_order = [
        "name", "email", "goal", "organisation", "organisation_kind", "web_use", "topics",
        "heard_about", "access_needs", "remember",
    ]  # fmt: skip
    folded = [
        "organisation", "organisation_kind", "web_use", "topics", "heard_about",
        "access_needs", "remember",
    ]  # fmt: skip
    after_fold = ["consent_group_news", "consent_introductions"]
    fold_hint = _(
        "Your group, what you would like help with, and anything that would make it easier "
        "for you to come."
    )

    def __init__(self, *args, surgery, **kwargs):
        super().__init__(*args, **kwargs)
        if surgery.is_event_host:
            # A campaign chapter's event: people come to support a cause, not to be helped,
            # so nothing about help is asked (a booking's goal is then empty).
            for name in ("goal", "web_use", "topics"):
                del self.fields[name]
            self.fields["heard_about"].label = _("How did you hear about this event?")
            self.fold_hint = _(
                "Your group, how you heard about it, and anything that would make it easier "
                "for you to come."
            )
        options = [*surgery.heard_about_choices, SOMETHING_ELSE]
        cast(forms.ChoiceField, self.fields["heard_about"]).choices = [
            ("", _("Choose one")),
            *((o, o) for o in options),
        ]

    def details(self, **extra) -> BookingDetails:
        data = self.cleaned_data
        return super().details(
            heard_about=data.get("heard_about", ""),
            consent_contact=True,  # the form says what we will email: see Folds
            **self.group_consents(),
            **extra,
        )


class ChangeBookingForm(PersonFields, GroupQuestions):
    def details(self, **extra) -> BookingDetails:
        return super().details(**self.group_consents(), **extra)


class SurgeonOfferForm(Folds, SpamChecks, ShowsLimits, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100, error_messages=NAME_REQUIRED)
    email = EmailAddressField(label=_("Your email address"), error_messages=EMAIL_REQUIRED)
    topics = TopicsField(label=_("What could you help with?"))
    consent_callouts = forms.BooleanField(
        label=consents.wording(consents.CALLOUTS),
        required=False,
        help_text=_("Now and then, never more than once a session. Stop any time."),
    )
    remember = forms.BooleanField(
        label=_("Remember my name and email on this device for next time"), required=False
    )

    folded = ["topics", "remember"]
    after_fold = ["consent_callouts"]
    fold_hint = _("What you could help with, so the organisers can pair you well.")

    def __init__(self, *args, surgery=None, **kwargs):
        super().__init__(*args, **kwargs)

    def details(self) -> BookingDetails:
        data = self.cleaned_data
        return BookingDetails(
            name=data["name"],
            email=data["email"],
            topics=data["topics"],
            consent_contact=True,  # the form says what we will email: see Folds
            consent_callouts=data["consent_callouts"],
        )


class DeclineForm(ShowsLimits, forms.Form):
    message = forms.CharField(
        label=_("Message to send"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        error_messages={"required": _("Write a short, kind message to go with it.")},
        help_text=_("Say why, and point them somewhere that can help."),
    )


class GotDoneForm(ShowsLimits, forms.Form):
    got_done = forms.CharField(
        label=_("What did you get done?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": _("Write a few words about what you got done.")},
        help_text=_("For example: “Our Facebook page is up and 40 people follow it.”"),
    )


class OrganiserBookingForm(PersonFields):
    """An organiser takes down what someone told them on the phone or in person."""

    phone = forms.CharField(
        label=_("Their phone number"),
        max_length=40,
        required=False,
        help_text=_("If they gave one. Only the surgery's organisers see it."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    LABELS = {
        "name": _("Their name"),
        "organisation": _("The group or organisation they are coming for"),
        "goal": _("What would they like to achieve?"),
        "web_use": _("How do they use the web now?"),
        "topics": _("What might they like help with?"),
        "access_needs": _("Anything that would make it easier for them to come?"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.LABELS.items():
            self.fields[name].label = label
        self.fields["name"].error_messages["required"] = _("Enter their name.")
        self.fields["goal"].required = False
        self.fields["goal"].help_text = ""
        self.fields["organisation"].help_text = _("Leave empty if it is just them.")
        self.fields["organisation"].widget.attrs["autocomplete"] = "off"
        kinds = cast(forms.ChoiceField, self.fields["organisation_kind"])
        kinds.choices = [
            (v, _("Just them: not here for a group") if v == JUST_ME else label)
            for v, label in _kind_choices()
        ]

    def details(self, **extra) -> BookingDetails:
        extra.setdefault("phone", self.cleaned_data.get("phone", ""))
        return super().details(**extra)


class PhoneBookingForm(OrganiserBookingForm):
    email = EmailAddressField(
        label=_("Their email address"),
        required=False,
        help_text=_("If they have one: we send their confirmation and a reminder there."),
    )
    consent_contact = forms.BooleanField(
        label=_("They are happy for us to email them about this booking"), required=False
    )

    field_order = [
        "name", "email", "phone", "consent_contact", "organisation", "organisation_kind",
        "goal", "web_use", "topics", "access_needs",
    ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("consent_contact") and not data.get("email"):
            self.add_error("email", _("Enter their email address, or untick the box below."))
        return data

    def details(self, **extra) -> BookingDetails:
        data = self.cleaned_data
        extra.setdefault("email", data.get("email", ""))
        return super().details(consent_contact=bool(data.get("consent_contact")), **extra)


class MoveBookingForm(forms.Form):
    to = forms.TypedChoiceField(
        label=_("Move them to"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the session to move them to.")},
    )

    def __init__(self, *args, sessions, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {s.pk: s for s in sessions}
        cast(forms.TypedChoiceField, self.fields["to"]).choices = [
            (s.pk, self._label(s, role)) for s in sessions
        ]

    @staticmethod
    def _label(session, role: str) -> str:
        when = f"{date_format(session.date, 'l j F')}, {uk_time(session.start_time)}"
        left = session.places_left(role)
        if left <= 0:
            return _("%(when)s: full, so they would go on its waiting list") % {"when": when}
        return ngettext("%(when)s: %(left)s place left", "%(when)s: %(left)s places left", left) % {
            "when": when,
            "left": left,
        }

    def clean_to(self):
        return self.sessions[self.cleaned_data["to"]]


class MessageForm(ShowsLimits, forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        error_messages={"required": _("Write the message you want to send.")},
        help_text=_(
            "In your own words. We add a greeting with each person's name, the session's "
            "details and a link to their booking."
        ),
    )
    include_waiting = forms.BooleanField(
        label=_("Send it to the people on the waiting list too"), required=False
    )
    # From the preview: sending the same preview twice sends once.
    key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,40}$", required=False, widget=forms.HiddenInput
    )
