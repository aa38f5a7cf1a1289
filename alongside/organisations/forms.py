from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.lib.fields import EmailAddressField, ShowsLimits, check_sensible_date
from alongside.organisations.models import Kind, Membership, OwnTopic, Role, Team, Urgency
from alongside.organisations.services import Answer
from alongside.organisations.skills import AREAS, STEPS, CheckTopic
from alongside.surgeries.models import Audience, Organisation, Surgery

NAME_HELP = _("The name the other members will see.")


class SpaceStartForm(forms.Form):
    name = forms.CharField(
        label=_("The organisation's name"),
        max_length=200,
        help_text=_("If groups from it have booked a surgery, use the same name."),
    )
    kind = forms.ChoiceField(
        label=_("What kind of organisation is it?"), choices=Organisation.Kind.choices
    )
    admin_name = forms.CharField(label=_("Who will look after its space?"), max_length=120)
    admin_email = EmailAddressField(
        label=_("Their email address"),
        help_text=_("We'll email them a link. They sign in with this address to accept."),
    )


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=120, help_text=NAME_HELP)
    email = EmailAddressField(
        label=_("Their email address"),
        help_text=_("We'll email them a link. They sign in with this address to join."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation)  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        members = Membership.objects.filter(organisation=self.organisation)
        if members.filter(user__email__iexact=email).exists():
            raise ValidationError(_("%(email)s is a member already."), params={"email": email})
        return email


class MembershipForm(forms.Form):
    """A member's name, role and team. A plain form: the service compares before and after."""

    name = forms.CharField(label=_("Name"), max_length=120, help_text=NAME_HELP)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        kwargs["initial"] = {
            "name": membership.name,
            "role": membership.role,
            "team": membership.team_id,
        }
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(organisation_id=membership.organisation_id)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class _NamedForm(forms.Form):
    """A name, new in this organisation whatever its case."""

    model: type[Team] | type[OwnTopic]
    taken = _("There is one called that already.")

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if self.model.objects.filter(organisation=self.organisation, name__iexact=name).exists():
            raise ValidationError(self.taken)
        return name


class TeamForm(_NamedForm):
    model = Team
    name = forms.CharField(
        label=_("A new team's name"),
        max_length=80,
        help_text=_("For example: Staff, The board, Volunteers."),
    )


class OwnTopicForm(_NamedForm):
    model = OwnTopic
    name = forms.CharField(
        label=_("A topic of your own"),
        max_length=80,
        help_text=_("Something only your organisation uses, such as “our Flickr account”."),
    )


NOT_ANSWERED = ""
# On a phone five short choices fit in a row; the question says what 1 and 5 mean.
SCALE = [(1, _("1 (not at all)")), (2, "2"), (3, "3"), (4, "4"), (5, _("5 (very)"))]


class CheckForm(forms.Form):
    """A member's answers: for each topic, confidence and two ticks; then whether to share.

    A topic left without a confidence is not answered, and counts nowhere.
    """

    shared = forms.BooleanField(
        label=_("Let the organisation's admins see my answers, with my name"),
        required=False,
        help_text=_(
            "So they can put you in touch with someone who wants to learn what you know, or "
            "who can help you. If you leave this unticked, they only see everyone's answers "
            "added up."
        ),
    )

    def __init__(self, *args, topics: list[CheckTopic], **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = topics
        for t in topics:
            self.fields[f"c_{t.key}"] = forms.TypedChoiceField(
                label=_("How confident are you with %(topic)s?") % {"topic": t.name},
                choices=[*SCALE, (NOT_ANSWERED, _("Skip"))],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"l_{t.key}"] = forms.BooleanField(
                label=_("I would like to learn more about this"), required=False
            )
            self.fields[f"h_{t.key}"] = forms.BooleanField(
                label=_("I could help others with this"), required=False
            )

    def rows(self):
        """Each topic with its three fields, for the template."""
        for t in self.topics:
            yield t, self[f"c_{t.key}"], self[f"l_{t.key}"], self[f"h_{t.key}"]

    def clean(self):
        data = super().clean() or {}
        answered = 0
        for t in self.topics:
            confidence = data.get(f"c_{t.key}")
            if confidence is None and (data.get(f"l_{t.key}") or data.get(f"h_{t.key}")):
                self.add_error(
                    f"c_{t.key}",
                    _("Say how confident you are with %(topic)s, or untick its boxes.")
                    % {"topic": t.name},
                )
            answered += confidence is not None
        if not answered and not self.errors:
            raise ValidationError(_("Answer at least one topic."))
        return data

    def answers(self) -> list[Answer]:
        data = self.cleaned_data
        return [
            Answer(
                confidence=data[f"c_{t.key}"],
                wants_to_learn=bool(data.get(f"l_{t.key}")),
                could_help=bool(data.get(f"h_{t.key}")),
                topic_id=t.topic_id,
                own_topic_id=t.own_topic_id,
            )
            for t in self.topics
            if data.get(f"c_{t.key}") is not None
        ]


class MaturityForm(forms.Form):
    """The organisation as a whole, area by area: where it is now, and where it aims to be."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area in AREAS:
            self.fields[f"now_{area.key}"] = forms.TypedChoiceField(
                label=_("Where are you now?"),
                choices=STEPS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say where you are now with %(area)s.") % {"area": area.name}
                },
            )
            self.fields[f"aim_{area.key}"] = forms.TypedChoiceField(
                label=_("Where do you aim to be in a year?"),
                choices=STEPS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say where you aim to be with %(area)s.") % {"area": area.name}
                },
            )

    def rows(self):
        for area in AREAS:
            yield area, self[f"now_{area.key}"], self[f"aim_{area.key}"]

    def scores(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {a.key: (data[f"now_{a.key}"], data[f"aim_{a.key}"]) for a in AREAS}


# --- The escalation route ------------------------------------------------------------------------


class ReportForm(forms.Form):
    what = forms.CharField(
        label=_("What happened?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: a post that needs taking down or an apology, "
            "or a message that worried you."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Which is it?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    where = forms.CharField(
        label=_("Where is it?"),
        max_length=200,
        required=False,
        help_text=_("For example: our Facebook page, Lorna's email, the Instagram messages."),
    )
    link = forms.URLField(
        label=_("A link to it"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_(
            "If there is one. Please don't send a copy of anything upsetting: a link is enough."
        ),
    )
    urgency = forms.ChoiceField(
        label=_("How soon does someone need to look at it?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.SOON,
    )

    def clean_what(self) -> str:
        what = self.cleaned_data["what"].strip()
        if not what:
            raise ValidationError(_("Say what happened, in a few words."))
        return what


class StepForm(forms.Form):
    note = forms.CharField(
        label=_("What was done?"),
        max_length=300,
        help_text=_("For example: Asked Facebook to take the post down."),
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("How did it end?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person who reported it will see this."),
    )


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ResponderForm(forms.Form):
    membership = _MemberChoice(
        label=_("Who else should pick up reports?"),
        queryset=Membership.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Membership.objects.filter(organisation=organisation, responder__isnull=True)
        self.fields["membership"].queryset = choices  # type: ignore[attr-defined]


class ResponseTimesForm(forms.Form):
    today = forms.IntegerField(
        label=Urgency.TODAY.label, min_value=1, max_value=168, help_text=_("Hours")
    )
    soon = forms.IntegerField(
        label=Urgency.SOON.label, min_value=1, max_value=336, help_text=_("Hours")
    )
    later = forms.IntegerField(
        label=Urgency.LATER.label, min_value=1, max_value=720, help_text=_("Hours")
    )

    def hours(self) -> dict[str, int]:
        return {k: self.cleaned_data[k] for k in ("today", "soon", "later")}


# --- Digital mentors ---------------------------------------------------------------------------


class MentorAskForm(forms.Form):
    """A learner asks for a mentor for one topic of the check."""

    topic = forms.ChoiceField(label=_("What would you like help with?"))

    def __init__(self, *args, topics: list[CheckTopic], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["topic"]).choices = [
            ("", _("Choose a topic")),
            *((t.key, t.name) for t in topics),
        ]


class MentorOfferForm(forms.Form):
    """An admin offers one suggested pairing. Both people must be in the organisation."""

    mentor = forms.ModelChoiceField(queryset=Membership.objects.none())
    learner = forms.ModelChoiceField(queryset=Membership.objects.none())
    topic = forms.ChoiceField()

    def __init__(self, *args, organisation: Organisation, topics: list[CheckTopic], **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(organisation=organisation)
        for name in ("mentor", "learner"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = members
        cast(forms.ChoiceField, self.fields["topic"]).choices = [(t.key, t.name) for t in topics]

    def clean(self):
        data = super().clean() or {}
        if data.get("mentor") and data.get("mentor") == data.get("learner"):
            raise ValidationError(_("Nobody can be their own mentor."))
        return data


class MentorMeetingForm(ShowsLimits, forms.Form):
    met_on = forms.DateField(
        label=_("When did you meet?"),
        validators=[check_sensible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Say when you met."),
            "invalid": _("Enter a date, like 5 March 2026."),
        },
    )
    note = forms.CharField(
        label=_("What did you work on, and what did you get done?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Say in a line or two what you worked on.")},
        help_text=_("Only the two of you see this."),
    )
    minutes = forms.IntegerField(
        label=_("Minutes spent (if you know)"),
        min_value=1,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean_met_on(self):
        met_on = self.cleaned_data["met_on"]
        if met_on > timezone.localdate():
            raise ValidationError(_("Record a meeting once it has happened."))
        return met_on


class MentorConfidenceForm(forms.Form):
    confidence = forms.TypedChoiceField(
        label=_("How confident do you feel with it now?"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5.")},
    )


# --- The organisation's own surgeries -------------------------------------------------------

OWN_AUDIENCES = [
    (Audience.MEMBERS, _("Only our members: staff, trustees and volunteers")),
    (Audience.BOTH, _("Anyone, with some places kept for our members")),
]


class OwnSurgeryForm(forms.ModelForm):
    """Start a surgery for the organisation's own people, or for them and anyone else."""

    audience = forms.ChoiceField(
        label=_("Who can come?"),
        choices=OWN_AUDIENCES,
        initial=Audience.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_(
            "A surgery for members only is never shown publicly. One for anyone is listed "
            "once the network has checked it."
        ),
    )
    venue_name = forms.CharField(
        label=_("Where it meets"),
        max_length=120,
        required=False,
        help_text=_("For example: Meeting room 2. You can add or change this later."),
    )
    venue_address = forms.CharField(label=_("Address"), max_length=250, required=False)

    class Meta:
        model = Surgery
        fields = ["name", "audience", "place_name", "description", "contact_email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "name": _("Name of the surgery"),
            "place_name": _("Town"),
            "contact_email": _("Email address for questions"),
        }
        help_texts = {
            "name": _("For example: Staff digital surgery."),
            "contact_email": _("Members can write here with questions."),
        }

    def clean(self):
        data = super().clean() or self.cleaned_data
        if data.get("venue_name") and not data.get("venue_address"):
            self.add_error("venue_address", _("Enter the address of where it meets."))
        return data


class AudienceForm(forms.Form):
    """Who can come to one of the organisation's surgeries. Only the audience: never which
    organisation, which comes from the page's address and the admin's membership."""

    audience = forms.ChoiceField(
        label=_("Who can come?"),
        choices=[*OWN_AUDIENCES, (Audience.PUBLIC, _("Anyone: no places kept"))],
        widget=forms.RadioSelect,
    )


class PeriodForm(forms.Form):
    """From and to dates, both optional and inclusive, named `from` and `to` in the URL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Declared here because `from` cannot be a class attribute's name.
        for name, label, example in (
            ("from", _("From"), "2026-01-31"),
            ("to", _("To"), "2026-12-31"),
        ):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                help_text=_("For example, %(date)s.") % {"date": example},
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={
                    "invalid": _("Enter the date as a real date, like %(date)s.")
                    % {"date": example}
                },
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
        """The period once valid; the whole of time while the form has errors."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("from"), self.cleaned_data.get("to")
