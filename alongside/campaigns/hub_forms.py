"""Forms for the volunteers' hub: they validate and convert, nothing more."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.campaigns.models import Audience, Campaign, Resource
from alongside.campaigns.models.hub import WEEKS_AFTER_MOST, WEEKS_BEFORE_MOST, when_label
from alongside.guidance.models import Sheet
from alongside.lib.fields import ShowsLimits


class PlanStepForm(ShowsLimits, forms.Form):
    title = forms.CharField(label=_("What to do"), max_length=120)
    detail = forms.CharField(label=_("A few words more"), max_length=300, required=False)
    weeks_before = forms.TypedChoiceField(
        label=_("When"),
        coerce=int,
        choices=[(n, when_label(n)) for n in range(WEEKS_BEFORE_MOST, -WEEKS_AFTER_MOST - 1, -1)],
        initial=6,
        help_text=_("Counted from the campaign's first day."),
    )


class TaskForm(ShowsLimits, forms.Form):
    title = forms.CharField(label=_("Add a task of your own"), max_length=120)
    due_on = forms.DateField(
        label=_("By when"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class AnnouncementForm(ShowsLimits, forms.Form):
    audience = forms.ChoiceField(
        label=_("Send to"),
        choices=Audience.choices,
        initial=Audience.LEADS,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=120)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
    nonce = forms.UUIDField(widget=forms.HiddenInput, required=False)


class SheetResourceForm(forms.Form):
    sheet = forms.ModelChoiceField(
        label=_("Add a guidance sheet"), queryset=Sheet.objects.none(), empty_label=None
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = Resource.objects.filter(campaign=campaign, sheet__isnull=False).values("sheet_id")
        # A draft sheet is a 404 to readers, so only published ones can be chosen.
        self.fields["sheet"].queryset = Sheet.objects.published().exclude(pk__in=chosen)  # type: ignore[attr-defined]


class LinkResourceForm(ShowsLimits, forms.Form):
    title = forms.CharField(label=_("What the link is"), max_length=120)
    url = forms.URLField(label=_("Link"), max_length=300, assume_scheme="https")


class StoryForm(ShowsLimits, forms.Form):
    title = forms.CharField(label=_("In a few words, what worked?"), max_length=120)
    text = forms.CharField(
        label=_("Tell the other chapters about it"),
        max_length=3000,
        widget=forms.Textarea,
        help_text=_("What you did, and what happened. Please leave out anyone's private details."),
    )
    link = forms.URLField(
        label=_("A link to see more"), max_length=300, required=False, assume_scheme="https"
    )
    for_chapters = forms.BooleanField(
        label=_("Other chapters of this campaign may read it"), required=False
    )
    public = forms.BooleanField(
        label=_("Anyone may read it on the campaign's public page"), required=False
    )
