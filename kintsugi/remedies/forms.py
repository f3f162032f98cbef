"""Forms of the remedies panel: giving a remedy (amounts typed the way the page's language writes them, an amount
far above the usual confirmed before it is saved) and recording the customer's cost. Errors sit at their field;
a refused form comes back with everything typed, never through the URL."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kintsugi.cases.models import Case
from kintsugi.cases.services import InvalidInput
from kintsugi.remedies import outliers, policy
from kintsugi.remedies.models import CostKind, RemedyKind, RemedyOption

EXAMPLES = {"VND": ("VND", 150000), "THB": ("THB", 125000), "USD": ("USD", 1250)}


def _language() -> str:
    return (get_language() or "en")[:2]


def amount_error(code: str, currency: str) -> str:
    if code == "precision":
        exponent = policy.currency(currency).exponent
        if exponent == 0:
            return _("%(currency)s has no decimals: enter a whole amount.") % {"currency": currency}
        return _("%(currency)s has at most %(exponent)d decimals.") % {"currency": currency, "exponent": exponent}
    if code == "negative":
        return _("The amount must be zero or more.")
    if code == "too_large":
        return _("The amount is too large.")
    if code == "unknown_currency":
        return _("Choose a currency.")
    example = EXAMPLES.get(currency, EXAMPLES["VND"])
    return _("Enter the amount as a number, for example %(example)s.") % {
        "example": policy.format_number(example[1], example[0], _language())}


def parse_amount(text: str, currency: str, *, required: bool = True) -> int | None:
    """An amount typed in the page's language, or InvalidInput with a message saying what to fix."""
    if not text.strip():
        if required:
            raise InvalidInput(_("Enter the amount (0 for an apology or a gesture without money)."))
        return None
    try:
        return policy.parse_amount(text, currency, _language())
    except policy.AmountError as exc:
        raise InvalidInput(amount_error(exc.code, currency)) from None


def new_token() -> str:
    return secrets.token_urlsafe(18)


class RemedyForm(forms.Form):
    """A remedy on `case`: a catalogue entry ("option-<id>") or a kind, its amount and currency. `cleaned_data`
    gains `option`, `amount_minor` and `transaction_value_minor`; `needs_confirmation` says the amount is far
    above the usual and the confirm box was not ticked (the form then asks for it)."""

    kind = forms.ChoiceField(label=gettext_lazy("Remedy"))
    amount = forms.CharField(label=gettext_lazy("Amount"), required=False, max_length=30)
    currency = forms.ChoiceField(label=gettext_lazy("Currency"))
    transaction_value = forms.CharField(label=gettext_lazy("What the affected purchase cost (optional)"),
                                        required=False, max_length=30)
    description = forms.CharField(label=gettext_lazy("What exactly (for the team)"), required=False,
                                  max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    is_goodwill = forms.BooleanField(required=False)
    confirm_outlier = forms.BooleanField(required=False)
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, options: list[RemedyOption], currencies: list[str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.options = {f"option-{option.pk}": option for option in options}
        self.needs_confirmation = False
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [*((value, option.label()) for value, option in self.options.items()), *RemedyKind.choices]
        kind.error_messages["invalid_choice"] = _("Choose a remedy from your organisation's catalogue.")
        currency = cast(forms.ChoiceField, self.fields["currency"])
        currency.choices = [(code, code) for code in currencies]
        currency.error_messages["invalid_choice"] = _("Remedies here are given in %(currencies)s.") % {
            "currencies": ", ".join(currencies)}
        if not self.is_bound:
            self.initial.setdefault("form_token", new_token())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency, kind_value = data.get("currency"), data.get("kind")
        if not currency or not kind_value:
            return data
        option = self.options.get(kind_value)
        data["option"] = option
        data["kind_code"] = option.kind if option is not None else kind_value
        amount = self._amount("amount", currency, required=option is None)
        if amount is None and option is not None and "amount" not in self.errors:
            if option.currency != currency:
                self.add_error("amount", _("Enter the amount in %(currency)s.") % {"currency": currency})
            else:
                amount = option.default_amount_minor
        data["amount_minor"] = amount
        data["transaction_value_minor"] = self._amount("transaction_value", currency, required=False)
        if amount is not None and not data.get("confirm_outlier") and outliers.is_outlier(
                self.case, kind=data["kind_code"], amount_minor=amount, currency=currency, option=option):
            self.needs_confirmation = True
            self.add_error("amount", _(
                "%(amount)s is far more than is usual for this remedy. Check the zeros; if it is right, tick "
                "“Yes, this amount is right” and give it again.") % {
                "amount": policy.format_amount(amount, currency, _language())})
        return data

    def _amount(self, name: str, currency: str, *, required: bool) -> int | None:
        try:
            return parse_amount(self.cleaned_data.get(name, ""), currency, required=required)
        except InvalidInput as exc:
            self.add_error(name, exc.message)
            return None


class CostForm(forms.Form):
    """What the failure cost the customer: a kind, an amount with its currency, minutes lost, a note."""

    kind = forms.ChoiceField(label=gettext_lazy("What"), choices=CostKind.choices)
    amount = forms.CharField(label=gettext_lazy("Amount, if known"), required=False, max_length=30)
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), required=False)
    minutes = forms.CharField(label=gettext_lazy("Minutes lost"), required=False, max_length=7)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, currencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["currency"]).choices = [(code, code) for code in currencies]

    def add_prefix(self, field_name: str) -> str:
        return f"cost_{field_name}"  # the names the panel has always posted: cost_kind, cost_amount...

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = data.get("currency") or ""
        if data.get("amount") and not currency:
            self.add_error("currency", _("Choose the currency of the amount."))
            return data
        try:
            data["amount_minor"] = parse_amount(data.get("amount", ""), currency, required=False)
        except InvalidInput as exc:
            self.add_error("amount", exc.message)
        minutes = (data.get("minutes") or "").strip()
        if minutes and not minutes.isdigit():
            self.add_error("minutes", _("Enter %(what)s as a whole number.") % {"what": _("the minutes")})
        data["minutes_value"] = int(minutes) if minutes.isdigit() else None
        return data
