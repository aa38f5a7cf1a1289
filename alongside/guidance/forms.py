from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.guidance.markdown import MAX_LENGTH
from alongside.guidance.models import Sheet
from alongside.surgeries.forms import TopicsField


class SheetForm(forms.ModelForm):
    """A guidance sheet. What the buttons do (preview, save) is up to the view."""

    body = forms.CharField(
        label=_("The sheet"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=MAX_LENGTH,
        error_messages={"required": _("Write the sheet.")},
        help_text=_(
            "Plain text works. A blank line starts a new paragraph; ## starts a heading; "
            "- starts a list item; [words](https://example.org) makes a link. "
            "Pictures are shown as links to them."
        ),
    )
    topics = TopicsField(
        label=_("What is it about?"),
        help_text=_("People who book or get help with these topics are shown the sheet."),
    )

    class Meta:
        model = Sheet
        fields = ["title", "summary", "body", "topics", "published"]
        labels = {
            "title": _("Title"),
            "summary": _("In one sentence"),
            "published": _("Publish it: anyone can read it"),
        }
        help_texts = {
            "title": _("For example: \u201cSetting up a Facebook page for your group\u201d."),
            "summary": _("Shown in the list of sheets and in emails."),
            "published": _("Leave this unticked to keep it as a draft only you can see."),
        }
        error_messages = {
            "title": {"required": _("Give the sheet a title.")},
            "summary": {"required": _("Say in one sentence what the sheet helps with.")},
        }
