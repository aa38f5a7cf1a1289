"""Forms of the approach pack: they validate and convert, the services change things."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.guidance.markdown import MAX_LENGTH
from alongside.guidance.models import Sheet
from alongside.organisations.models import ChosenSheet, Membership, Platform
from alongside.surgeries.models import Organisation, Topic


class DocumentForm(forms.Form):
    body = forms.CharField(
        label=_("The text"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Write it as you would say it. Start a line with ## for a heading, - for a list, "
            "and put **two stars** round words to make them stand out."
        ),
    )


class PlatformForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("For example: Facebook page, the website, our Flickr account."),
    )
    url = forms.URLField(
        label=_("Its address"), required=False, max_length=300, assume_scheme="https"
    )
    purpose = forms.CharField(label=_("What we use it for"), required=False, max_length=300)
    keepers = forms.ModelMultipleChoiceField(
        label=_("Who looks after it"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation: Organisation, platform: Platform | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation, self.platform = organisation, platform
        field = self.fields["keepers"]
        field.queryset = Membership.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: m.name  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        same = Platform.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.platform is not None:
            same = same.exclude(pk=self.platform.pk)
        if same.exists():
            raise ValidationError(_("There is one called that already."))
        return name


class SheetChoiceForm(forms.Form):
    sheet = forms.ModelChoiceField(
        label=_("Add a guidance sheet"), queryset=Sheet.objects.none(), empty_label=None
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = ChosenSheet.objects.filter(organisation=organisation).values("sheet_id")
        # Drafts are a 404 to readers, so only published sheets can be chosen.
        self.fields["sheet"].queryset = Sheet.objects.published().exclude(pk__in=chosen)  # type: ignore[attr-defined]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Course"), max_length=160)
    provider = forms.CharField(label=_("Who runs it"), required=False, max_length=120)
    url = forms.URLField(label=_("Link"), required=False, max_length=300, assume_scheme="https")
    cost = forms.CharField(
        label=_("Cost"),
        required=False,
        max_length=60,
        help_text=_("For example: Free, or £45 a person."),
    )
    length = forms.CharField(
        label=_("How long it takes"),
        required=False,
        max_length=60,
        help_text=_("For example: Two hours online, or one day."),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("No particular topic"),
    )
    notes = forms.CharField(
        label=_("Notes for line managers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who it suits, and anything to check before paying for it."),
    )
