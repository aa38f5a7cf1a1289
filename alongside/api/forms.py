from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.api.models import ApiToken
from alongside.lib.fields import ShowsLimits


class TokenForm(ShowsLimits, forms.Form):
    name = forms.CharField(
        label=_("What is it for?"),
        max_length=80,
        help_text=_("A name to know it by, such as “Our CRM” or “Our website”."),
        error_messages={"required": _("Give the token a name.")},
    )
    scope = forms.ChoiceField(
        label=_("What may it do?"),
        choices=[
            (ApiToken.Scope.READ, _("Only read: sessions, who is coming, records of help")),
            (ApiToken.Scope.WRITE, _("Read, and also book people in, cancel and record help")),
        ],
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
