"""Forms for bringing groups together: they only validate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.surgeries.models import Organisation

NOTE_LIMIT = 1500


class InviteForm(forms.Form):
    note = forms.CharField(
        label=_("A note from you"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A few friendly words, in your own voice: why you are holding this session and "
            "who you hope will come. It goes at the top of the email."
        ),
    )
    groups = forms.TypedMultipleChoiceField(
        label=_("Groups to invite"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        groups = self.fields["groups"]
        assert isinstance(groups, forms.TypedMultipleChoiceField)
        groups.choices = choices
        groups.error_messages["required"] = _("Tick at least one group.")


class ConnectionForm(forms.Form):
    """An organiser's "these two groups got in touch"."""

    first = forms.ModelChoiceField(
        label=_("This group"), queryset=Organisation.objects.none(), empty_label=_("Choose")
    )
    second = forms.ModelChoiceField(
        label=_("got in touch with"), queryset=Organisation.objects.none(), empty_label=_("Choose")
    )

    def __init__(self, *args, groups: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        ids = [g.pk for g in groups]
        for name in ("first", "second"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Organisation.objects.filter(pk__in=ids)

    def clean(self):
        data = super().clean() or self.cleaned_data
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", _("Choose two different groups."))
        return data
