"""The public complaint form: what happened (a few words at least), where and when, how bad it is, how to reach
you, a photo; and a honeypot."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kintsugi.cases.facts import MAX_BOOKING_REFERENCE, check_occurred_at, in_utc
from kintsugi.cases.services import InvalidInput, normalise_email, normalise_phone
from kintsugi.intake.forms import checked_photo
from kintsugi.intake.photos import Photo
from kintsugi.intake.services import MAX_CONTACT, MAX_PUBLIC_DESCRIPTION
from kintsugi.lib.forms import SharedFieldsForm

# The quick pick: how it felt, mapped to the case's severity (1, "minor", is left to staff).
SEVERITY_CHOICES = [
    (2, pgettext_lazy("how bad", "A little annoying")),
    (3, pgettext_lazy("how bad", "Bad")),
    (4, pgettext_lazy("how bad", "Very bad")),
    (5, pgettext_lazy("how bad", "Unacceptable")),
]
DEFAULT_SEVERITY = 3
# A field people never see (hidden by the stylesheet) but form-filling bots do; its name looks worth filling.
HONEYPOT = "website"
# A description needs a few words to act on. Thai is written without spaces between words, so Thai text is
# measured in letters instead (ten is about two or three Thai words).
MIN_WORDS = 3
MIN_THAI_LETTERS = 10
THAI = re.compile(r"[\u0e00-\u0e7f]")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as a datetime-local input sends it (2026-11-16T14:05), left without a zone: the form reads
    it on its location's clocks. (Not through Django's current time zone: switching it costs more than the rest
    of the form's validation.)"""

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def is_too_short(text: str) -> bool:
    """Whether a description is shorter than a few words (Thai: than MIN_THAI_LETTERS letters)."""
    if THAI.search(text):
        return len("".join(text.split())) < MIN_THAI_LETTERS
    return len(text.split()) < MIN_WORDS


class ComplaintForm(SharedFieldsForm):
    # Shared fields: one submission does not deep-copy eight fields; never change self.fields[...] here.
    description = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_PUBLIC_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please tell us what happened.")},
    )
    booking_reference = forms.CharField(
        label=_("Booking or room number"), required=False, max_length=MAX_BOOKING_REFERENCE,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    occurred_at = LocalDateTimeField(
        label=_("When did it happen?"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={"invalid": _("Please give a date and a time, or leave it empty.")},
    )
    severity = forms.TypedChoiceField(
        label=_("How bad is it?"), choices=SEVERITY_CHOICES, coerce=int, required=False,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Your name"), required=False, max_length=MAX_CONTACT,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Email"), required=False, max_length=MAX_CONTACT,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    line_id = forms.CharField(label=_("LINE ID"), required=False, max_length=MAX_CONTACT,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    zalo_id = forms.CharField(label=_("Zalo (phone or ID)"), required=False, max_length=MAX_CONTACT,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    photo = forms.FileField(label=_("A photo (optional)"), required=False,
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    website = forms.CharField(label=_("Website"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args: Any, country: str = "VN", tz: tzinfo | str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A national number is read as the location's country first: 081 234 5678 is Thai in Bangkok.
        self.regions = ("TH", "VN") if country == "TH" else ("VN", "TH")
        # "When it happened" is the time on the clocks where it happened: the location's time zone.
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"], self.regions)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_email(self) -> str:
        try:
            return normalise_email(self.cleaned_data["email"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_description(self) -> str:
        description: str = self.cleaned_data["description"]
        if is_too_short(description):
            raise forms.ValidationError(_("Could you tell us a little more? A few words help us put it right."))
        return description

    def clean_occurred_at(self) -> datetime | None:
        occurred_at: datetime | None = self.cleaned_data["occurred_at"]
        if occurred_at is not None and occurred_at.tzinfo is None:
            occurred_at = occurred_at.replace(tzinfo=self.tz)  # one a clock change skips or repeats: fold 0
        try:
            return in_utc(check_occurred_at(occurred_at, timezone.now()))
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_severity(self) -> int:
        return self.cleaned_data["severity"] or DEFAULT_SEVERITY  # no pick is a plain "Bad"

    def clean_photo(self) -> Photo | None:
        return checked_photo(self.cleaned_data.get("photo"))

    @property
    def photo_was_sent(self) -> bool:
        return bool(self.files.get("photo"))
