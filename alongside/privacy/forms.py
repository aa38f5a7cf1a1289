from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.consents import KINDS
from alongside.lib.fields import EmailAddressField


class RequestLinkForm(forms.Form):
    email = EmailAddressField(
        label=_("Your email address"),
        help_text=_("We email a link to this address. It works for 24 hours."),
        error_messages={"required": _("Enter your email address, so we can send the link.")},
    )


class WithdrawForm(forms.Form):
    kind = forms.ChoiceField(choices=list(KINDS.items()))


class AdminPersonForm(forms.Form):
    """A network admin acting on someone's request. The address goes in the body, never
    the URL, so it is not in any log."""

    email = EmailAddressField(
        label=_("Their email address"),
        error_messages={"required": _("Enter the email address of the person who asked.")},
    )
