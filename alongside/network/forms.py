from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from alongside.lib.antispam import SpamChecks
from alongside.lib.fields import EmailAddressField, check_deliverable_address
from alongside.surgeries.models import Area, Surgery

MAX_CO_ORGANISERS = 10

DECLINE_PROPOSAL_DEFAULT = _(
    "Thank you for wanting to start a social media surgery. We can't list this one just now. "
    "If you would like to talk it over, just reply to this email: we would be glad to help "
    "you find a way."
)


class ProposalForm(SpamChecks, forms.ModelForm):
    co_organisers = forms.CharField(
        label=_("Co-organisers' email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line. We will invite them to help run it once the surgery is approved."
        ),
    )

    class Meta:
        model = Surgery
        fields = [
            "name",
            "place_name",
            "postcode",
            "who_for",
            "how_often",
            "description",
            "contact_email",
        ]
        widgets = {
            "who_for": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "name": _("For example: Stourbridge Social Media Surgery."),
            "contact_email": _("Shown on the surgery's page so people can ask questions."),
            "description": _(
                "For example: bring a laptop, tablet or phone and whatever you are trying to "
                "do online, and a volunteer will sit alongside you and help."
            ),
        }

    def __init__(self, *args, proposer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposer_email = (getattr(proposer, "email", "") or "").lower()

    def clean_co_organisers(self) -> list[str]:
        found: list[str] = []
        for line in self.cleaned_data["co_organisers"].splitlines():
            email = line.strip().strip(",;").lower()
            if not email:
                continue
            try:
                validate_email(email)
                check_deliverable_address(email)
            except ValidationError:
                raise ValidationError(
                    _("“%(email)s” does not look like an email address. Put one on each line."),
                    params={"email": email},
                ) from None
            if email != self.proposer_email and email not in found:
                found.append(email)
        if len(found) > MAX_CO_ORGANISERS:
            raise ValidationError(
                _("Invite up to %(n)s people for now; you can invite more later."),
                params={"n": MAX_CO_ORGANISERS},
            )
        return found


class ApproveForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("No area"),
        help_text=_("The area whose coordinators will look after it."),
    )


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisers"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=DECLINE_PROPOSAL_DEFAULT,
        help_text=_("Be kind: they wanted to help. Say why, and what they could do instead."),
    )


class InviteForm(forms.Form):
    email = EmailAddressField(
        label=_("Email address"),
        help_text=_("We'll email them a link. They sign in with this address to accept."),
    )

    def __init__(self, *args, surgery: Surgery | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.surgery = surgery

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.surgery and self.surgery.organisers.filter(email__iexact=email).exists():
            raise ValidationError(
                _("%(email)s already organises this surgery."), params={"email": email}
            )
        return email


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "parent"]
        help_texts = {
            "name": _("For example: Dudley borough, or West Midlands."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Area.objects.all()
        if self.instance.pk:
            # An area cannot sit inside itself or inside one of its own parts.
            parents = parents.exclude(pk__in=self.instance.ids_within())
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = parents
        parent.empty_label = _("None: it is a top-level area")
