from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.lib import fetcher
from alongside.webhooks.models import Event


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address on your server"),
        max_length=500,
        assume_scheme="https",
        help_text=_("It must start with https://"),
    )
    events = forms.MultipleChoiceField(
        label=_("Tell it when"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing to hear about.")},
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        parts = urlsplit(url)
        # Tests post to their own server on 127.0.0.1, over plain http.
        literal, test_server = fetcher.written_address(parts.hostname or "")
        if parts.scheme != "https" and not test_server:
            raise forms.ValidationError(_("The address must start with https://"))
        if literal is not None and not test_server and not fetcher.is_public(literal):
            raise forms.ValidationError(_("The address must be on the public internet."))
        return url
