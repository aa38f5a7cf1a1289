"""Forms for money in: they validate and convert to Decimal and dates, nothing more."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.campaigns.models import ProviderMapping, Stream
from alongside.campaigns.money import RateIn
from alongside.lib.fields import check_sensible_date

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# An export is a few thousand rows at most; the request limit (lib/middleware) is the ceiling.
MAX_UPLOAD = 900 * 1024


def _currency(value: str) -> str:
    value = value.strip().upper()
    if len(value) != 3 or not value.isalpha():
        raise forms.ValidationError(_("Use the three-letter code, such as GBP or EUR."))
    return value


def _not_in_future(value: dt.date) -> dt.date:
    check_sensible_date(value)
    if value > timezone.localdate() + dt.timedelta(days=1):
        raise forms.ValidationError(_("That date has not happened yet."))
    return value


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Amount"))
        super().__init__(
            max_digits=12, decimal_places=2, min_value=Decimal("0.01"), localize=False, **kwargs
        )
        self.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})


class CashForm(forms.Form):
    stream = forms.ChoiceField(
        label=_("What was given"),
        choices=[(Stream.CASH, _("Cash")), (Stream.CHEQUE, _("A cheque"))],
        widget=forms.RadioSelect,
        initial=Stream.CASH,
    )
    amount = AmountField()
    currency = forms.CharField(label=_("Currency"), max_length=3)
    received_on = forms.DateField(label=_("Date it was given"), widget=DATE)
    counted_by = forms.CharField(
        label=_("Who counted it"),
        max_length=120,
        help_text=_("Your name, or the names of both counters."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("For example: bucket at the door."),
    )
    entry_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_currency(self) -> str:
        return _currency(self.cleaned_data["currency"])

    def clean_received_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["received_on"])


class RefundForm(forms.Form):
    amount = AmountField(label=_("Amount given back"))
    received_on = forms.DateField(label=_("Date it was given back"), widget=DATE)
    note = forms.CharField(label=_("Why"), max_length=200)

    def __init__(self, *args, left: Decimal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.left = left
        self.fields["amount"].initial = left

    def clean_amount(self) -> Decimal:
        value = self.cleaned_data["amount"]
        if value > self.left:
            raise forms.ValidationError(
                _("That is more than is left to give back (%(left)s)."), params={"left": self.left}
            )
        return value

    def clean_received_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["received_on"])


class ImportForm(forms.Form):
    provider = forms.ChoiceField(label=_("Which payment provider is the file from?"))
    file = forms.FileField(
        label=_("The export file (CSV)"),
        help_text=_(
            "Download it from the provider's website. Nothing is saved until you check it."
        ),
    )

    def __init__(self, *args, providers: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["provider"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(p, p) for p in providers]

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("That file is too big: split the export by dates."))
        try:
            self.content = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise forms.ValidationError(_("That is not a CSV file saved as text.")) from e
        self.file_name = upload.name or "export.csv"
        return self.file_name


class RateForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3)
    per_unit = forms.DecimalField(
        label=_("What one unit is worth in the campaign's currency"),
        max_digits=18,
        decimal_places=8,
        min_value=Decimal("0.00000001"),
    )
    on = forms.DateField(label=_("From this date"), widget=DATE)
    source = forms.CharField(
        label=_("Where the rate comes from"),
        max_length=200,
        help_text=_("For example: Bank of England, 4 May 2026."),
    )

    def clean_currency(self) -> str:
        return _currency(self.cleaned_data["currency"])

    def rate(self) -> RateIn:
        d = self.cleaned_data
        return RateIn(d["currency"], d["per_unit"], d["on"], d["source"])


class RatesPasteForm(forms.Form):
    lines = forms.CharField(
        label=_("Many rates at once"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line: currency, worth, date, source. For example: EUR, 0.85, 2026-05-01, ECB"
        ),
    )

    def clean_lines(self) -> list[RateIn]:
        rates = []
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",", 3)]
            try:
                currency = _currency(parts[0])
                per_unit = Decimal(parts[1])
                on = dt.date.fromisoformat(parts[2])
                source = parts[3][:200]
                if not per_unit.is_finite() or per_unit <= 0 or not source:
                    raise ValueError
                if per_unit != per_unit.quantize(Decimal("1e-8")) or per_unit >= Decimal("1e10"):
                    raise ValueError
            except (IndexError, ValueError, InvalidOperation, forms.ValidationError) as e:
                raise forms.ValidationError(
                    _("Line %(n)s is not: currency, worth, date (YYYY-MM-DD), source."),
                    params={"n": number},
                ) from e
            rates.append(RateIn(currency, per_unit, on, source))
        if not rates:
            raise forms.ValidationError(_("Paste at least one rate."))
        return rates


class MappingForm(forms.ModelForm):
    """Which column of a provider's export holds what: set once per provider and campaign."""

    class Meta:
        model = ProviderMapping
        fields = [
            "provider", "date_column", "date_format", "amount_column", "currency_column",
            "currency", "reference_column", "fees_column", "refund_column", "refund_value",
        ]  # fmt: skip

    def clean_date_format(self) -> str:
        value = self.cleaned_data["date_format"]
        try:
            dt.datetime.strptime(dt.date(2026, 12, 31).strftime(value), value)  # noqa: DTZ007
        except ValueError as e:
            raise forms.ValidationError(_("Use a form such as %d/%m/%Y or %Y-%m-%d.")) from e
        if "%d" not in value or "%m" not in value and "%b" not in value:
            raise forms.ValidationError(_("Use a form such as %d/%m/%Y or %Y-%m-%d."))
        return value

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("currency_column") and not data.get("currency"):
            raise forms.ValidationError(
                _("Say which column holds the currency, or the one currency every row is in.")
            )
        if data.get("currency"):
            data["currency"] = _currency(data["currency"])
        if bool(data.get("refund_column")) != bool(data.get("refund_value")):
            raise forms.ValidationError(
                _("For refunds, give both the column and what it says for a refund, or neither.")
            )
        return data
