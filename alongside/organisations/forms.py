from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.lib.fields import EmailAddressField, check_sensible_date
from alongside.organisations.models import Membership, OwnTopic, Role, Team
from alongside.organisations.services import Answer
from alongside.organisations.skills import AREAS, STEPS, CheckTopic
from alongside.surgeries.models import Organisation

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
