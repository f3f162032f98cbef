"""What the public form's privacy notice says for an organisation: how long it keeps what customers send, whom
to ask and where its policy is. The notice's sentences are in templates/intake/privacy_notice.html."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from kintsugi.accounts.models import Organisation

# Said when the organisation has not set its own period (docs/privacy.md).
DEFAULT_RETENTION_MONTHS = 24


@dataclass(frozen=True, slots=True)
class PrivacyNotice:
    months: int
    contact: str  # "" when the organisation names no one: the notice then points at its staff
    contact_href: str  # mailto: or tel: for an email address or a phone number, else ""
    policy_url: str


def _href(contact: str) -> str:
    try:
        validate_email(contact)
    except ValidationError:
        digits = contact.replace(" ", "").replace("-", "").replace(".", "")
        return f"tel:{digits}" if digits.lstrip("+").isdigit() and len(digits) >= 6 else ""
    return f"mailto:{contact}"


def notice_for(organisation: Organisation) -> PrivacyNotice:
    """The organisation's privacy notice: its retention period (else the default), contact and policy link."""
    contact = organisation.privacy_contact.strip()
    return PrivacyNotice(
        months=organisation.data_retention_months or DEFAULT_RETENTION_MONTHS,
        contact=contact,
        contact_href=_href(contact) if contact else "",
        policy_url=organisation.privacy_policy_url,
    )
