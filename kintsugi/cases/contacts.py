"""Phone numbers and email addresses as a customer types them, normalised to the one form identities are kept
in (E.164 phones, lower-cased emails). Pure: no database."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _

from kintsugi.cases.errors import InvalidInput

PHONE_REGIONS = ("VN", "TH")


def normalise_phone(raw: str, regions: tuple[str, ...] = PHONE_REGIONS) -> str:
    """The number in E.164 (+84912345678), trying Vietnam then Thailand for national numbers."""
    raw = raw.strip()
    if not raw:
        return ""
    for region in regions:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    raise InvalidInput(_("“%(phone)s” is not a valid phone number.") % {"phone": raw[:40]})


def phone_regions(language: str) -> tuple[str, ...]:
    # 081 234 5678 is a valid mobile number in Vietnam and in Thailand: a Thai speaker's is tried as Thai first.
    return ("TH", "VN") if language == "th" else PHONE_REGIONS


def normalise_email(raw: str) -> str:
    value = raw.strip().lower()
    if not value:
        return ""
    local, _sep, domain = value.partition("@")
    if not local or "." not in domain or " " in value or len(value) > 254:
        raise InvalidInput(_("“%(email)s” is not a valid email address.") % {"email": raw[:60]})
    return value
