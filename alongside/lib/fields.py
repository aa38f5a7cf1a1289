"""Form fields shared by several forms."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _


class LinksField(forms.CharField):
    """Web addresses, one per line. "example.org" is taken to mean https://example.org."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value) or ""
        links = []
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            if "://" not in line:
                line = f"https://{line}"
            links.append(line)
        return links

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        check = URLValidator(schemes=["http", "https"])
        bad = []
        for link in value:
            try:
                check(link)
            except forms.ValidationError:
                bad.append(link)
            if len(link) > 500:
                bad.append(link)
        if bad:
            raise forms.ValidationError(
                _("These do not look like web addresses: %(links)s"),
                params={"links": ", ".join(bad)},
            )
