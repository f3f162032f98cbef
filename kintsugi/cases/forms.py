from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Location, Touchpoint
from kintsugi.cases import services
from kintsugi.cases.models import Category, Channel, Customer, FailureType, Status
from kintsugi.cases.templatetags.kintsugi_ui import severity_words
from kintsugi.lib.widgets import FastSelect

SEVERITIES = (1, 2, 3, 4, 5)
# The channels staff log by hand, most common first; the rest sit behind "Other channel".
LOGGED_CHANNELS = (Channel.PHONE, Channel.IN_PERSON, Channel.EMAIL)
OTHER_CHANNELS = (Channel.ZALO, Channel.LINE, Channel.MESSENGER, Channel.WEB)


def _severity_choices() -> list[tuple[int, str]]:
    words = severity_words()
    return [(level, f"{level} · {words[level]}") for level in SEVERITIES]


def _category_choices(categories: Sequence[Category]) -> list[tuple[Any, Any]]:
    return [("", _("Any category"))] + [(c.pk, c.label()) for c in categories]


class InboxFilterForm(forms.Form):
    """The inbox's filter bar; choices come from rows the view has already loaded (no extra queries)."""

    # FastSelect: the same HTML as forms.Select, without a template render per option (this form is on every
    # inbox page view).
    status = forms.ChoiceField(required=False, label=_("Status"), widget=FastSelect)
    location = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Location"),
                                      widget=FastSelect)
    category = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Category"),
                                      widget=FastSelect)
    severity = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Severity"),
                                      widget=FastSelect)
    channel = forms.ChoiceField(required=False, label=_("Channel"), widget=FastSelect)

    def __init__(
        self, data: Any, *, locations: Sequence[tuple[int, str]], categories: Sequence[tuple[int, str]]
    ) -> None:
        """`locations` and `categories`: (id, label) pairs, as inbox_choices.inbox_filter_choices gives them."""
        super().__init__(data)
        self.fields["status"].choices = [("", _("Any status")), *Status.choices]  # type: ignore[attr-defined]
        self.fields["location"].choices = [("", _("Any location")), *locations]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("Any category")), *categories]  # type: ignore[attr-defined]
        self.fields["severity"].choices = [("", _("Any severity")), *_severity_choices()]  # type: ignore[attr-defined]
        self.fields["channel"].choices = [("", _("Any channel")), *Channel.choices]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters only; a bad value is reported on its field and otherwise ignored."""
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class DetailsForm(forms.Form):
    category = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Category"))
    severity = forms.TypedChoiceField(coerce=int, label=_("Severity"))
    failure_type = forms.ChoiceField(choices=FailureType.choices, label=_("Failure type"))

    def __init__(self, *args: Any, categories: Sequence[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.pk: c for c in categories}
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("No category")), *[(c.pk, c.label()) for c in categories]
        ]
        self.fields["severity"].choices = _severity_choices()  # type: ignore[attr-defined]

    def category_object(self) -> Category | None:
        pk = self.cleaned_data.get("category")
        return self.categories.get(pk) if pk else None


class CaseNewForm(forms.Form):
    """A phone or walk-in complaint, as staff type it while listening."""

    channel = forms.ChoiceField(
        label=_("How did the customer reach us?"), widget=forms.RadioSelect, initial=Channel.PHONE,
        choices=[(c.value, c.label) for c in (*LOGGED_CHANNELS, *OTHER_CHANNELS)],
    )
    location = forms.TypedChoiceField(coerce=int, label=_("Location"))
    touchpoint = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Where exactly"))
    description = forms.CharField(
        label=_("What happened?"), max_length=services.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5, "autocapitalize": "sentences"}),
        error_messages={"required": _("Please describe what happened.")},
    )
    severity = forms.TypedChoiceField(
        coerce=int, label=_("How bad is it?"), widget=forms.RadioSelect, initial=3, choices=[],
    )
    category = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Category"))
    # A customer picked from the search (their id); the name, phone and email fields below then stay unused.
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    customer_name = forms.CharField(required=False, max_length=200, label=_("Customer name"),
                                    widget=forms.TextInput(attrs={"autocomplete": "off"}))
    customer_phone = forms.CharField(required=False, max_length=40, label=_("Phone"),
                                     widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    customer_email = forms.CharField(required=False, max_length=254, label=_("Email"),
                                     widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}))
    language = forms.ChoiceField(required=False, label=_("Customer's language"))

    def __init__(
        self,
        *args: Any,
        locations: Sequence[Location],
        touchpoints: Sequence[Touchpoint],
        categories: Sequence[Category],
        organisation_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        self.locations = {loc.pk: loc for loc in locations}
        self.touchpoints = {tp.pk: tp for tp in touchpoints}
        self.categories = {c.pk: c for c in categories}
        location_choices: list[tuple[Any, Any]] = [(loc.pk, loc.name) for loc in locations]
        if len(locations) != 1:
            location_choices.insert(0, ("", _("Choose a location")))
        else:
            self.fields["location"].initial = locations[0].pk
        self.fields["location"].choices = location_choices  # type: ignore[attr-defined]
        groups: dict[str, list[tuple[int, str]]] = {}
        for tp in touchpoints:
            groups.setdefault(tp.location.name, []).append((tp.pk, tp.name))
        touchpoint_choices: list[Any] = [("", _("Not specified"))]
        if len(groups) == 1:
            touchpoint_choices += next(iter(groups.values()))
        else:
            touchpoint_choices += list(groups.items())
        self.fields["touchpoint"].choices = touchpoint_choices  # type: ignore[attr-defined]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("Not sure yet")), *[(c.pk, c.label()) for c in categories]
        ]
        self.fields["severity"].choices = _severity_choices()  # type: ignore[attr-defined]
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("Detect from the text")), ("vi", "Tiếng Việt"), ("th", "ภาษาไทย"), ("en", "English"),
        ]

    @property
    def has_chosen_customer(self) -> bool:
        return bool(self.is_bound and str(self.data.get("customer") or "").strip())

    def clean_customer(self) -> Customer | None:
        """The chosen customer of this organisation (following merges); anyone else's is unknown here."""
        pk = self.cleaned_data.get("customer")
        if pk is None:
            return None
        mine = Customer.objects.filter(organisation_id=self.organisation_id or 0)
        customer = mine.filter(pk=pk).first()
        seen = set()
        while customer is not None and customer.merged_into_id is not None and customer.pk not in seen:
            seen.add(customer.pk)
            customer = mine.filter(pk=customer.merged_into_id).first()
        if customer is None:
            raise forms.ValidationError(_("This customer does not exist, or you do not have access to them."))
        return customer

    def clean_customer_name(self) -> str:
        return "" if self.has_chosen_customer else str(self.cleaned_data["customer_name"])

    def clean_customer_phone(self) -> str:
        if self.has_chosen_customer:
            return ""
        try:
            return services.normalise_phone(self.cleaned_data["customer_phone"])
        except services.InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_customer_email(self) -> str:
        if self.has_chosen_customer:
            return ""
        try:
            return services.normalise_email(self.cleaned_data["customer_email"])
        except services.InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        location_id, touchpoint_id = data.get("location"), data.get("touchpoint")
        if location_id and touchpoint_id and self.touchpoints[touchpoint_id].location_id != location_id:
            self.add_error("touchpoint", _("This touchpoint is not at the chosen location."))
        return data

    @property
    def other_channel_chosen(self) -> bool:
        value = self["channel"].value()
        return value in {c.value for c in OTHER_CHANNELS}

    def channel_groups(self) -> tuple[list[Any], list[Any]]:
        """The channel radios split into the common ones and those behind “Other channel”."""
        common = {c.value for c in LOGGED_CHANNELS}
        radios = list(self["channel"])
        return [r for r in radios if r.data["value"] in common], [r for r in radios if r.data["value"] not in common]
