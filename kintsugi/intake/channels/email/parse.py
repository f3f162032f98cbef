"""One raw RFC 822 mail into one InboundMessage (the email channel's parser)."""

from __future__ import annotations

import hashlib
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses

from kintsugi.cases.models import Channel
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.inbound.normalised import InboundMessage


def _ids(value: str) -> tuple[str, ...]:
    return tuple(part.strip("<>") for part in value.split() if part.strip("<>"))


def external_id_of(raw: bytes) -> str:
    """The mail's Message-ID (what a redelivery repeats), else a digest of its bytes."""
    headers = message_from_bytes(raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0] + b"\n\n", policy=policy.compat32)
    message_id = str(headers.get("Message-ID", "") or "").strip().strip("<>").strip()
    return message_id[:255] if message_id else "sha256:" + hashlib.sha256(raw).hexdigest()


def parse_email(raw: bytes, headers: dict[str, str], connection: ChannelConnection) -> InboundMessage:
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    addresses = getaddresses([str(mail.get("From", ""))])
    name, address = addresses[0] if addresses else ("", "")
    body = mail.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    references = _ids(str(mail.get("In-Reply-To", ""))) + tuple(reversed(_ids(str(mail.get("References", "")))))
    return InboundMessage(
        channel=Channel.EMAIL, external_id=external_id_of(raw), text=text.strip(), full_text=text.strip(),
        sender_name=name, email=address, subject=str(mail.get("Subject", "")), references=references,
    )
