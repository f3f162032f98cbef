"""A stored mail as the original page shows it: the headers people read, then what parse_email reads out of it."""

from __future__ import annotations

from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

from django.utils.translation import gettext as _

from kintsugi.intake.channels.email.parse import parse_email
from kintsugi.intake.inbound.originals import Original, safe_html
from kintsugi.intake.models import InboundPayload

_HEADERS = ("From", "To", "Cc", "Reply-To", "Date", "Subject", "Message-ID", "In-Reply-To")


def _labels() -> dict[str, str]:
    return {"From": _("From"), "To": _("To"), "Cc": _("Cc"), "Reply-To": _("Reply to"), "Date": _("Date"),
            "Subject": _("Subject"), "Message-ID": _("Message-ID"), "In-Reply-To": _("In reply to")}


def _value(decoded: Message, undecoded: Message, name: str) -> str:
    # A header too broken to decode is shown as it came.
    try:
        return " ".join(str(decoded.get(name, "") or "").split())
    except Exception:
        return " ".join(str(undecoded.get(name, "") or "").split())


def read_email_original(payload: InboundPayload) -> Original:
    raw = bytes(payload.raw)
    decoded = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    undecoded = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    labels = _labels()
    headers = [(labels[name], value) for name in _HEADERS if (value := _value(decoded, undecoded, name))]
    message = parse_email(raw, dict(payload.headers), payload.connection)
    return Original(
        headers=headers, text=message.full_text or message.text, html=safe_html(message.html),
        files=message.attachments, download_name=f"mail-{payload.pk}.eml", download_type="message/rfc822",
        notes=tuple(message.notes),
    )
