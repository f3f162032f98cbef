"""The email corpus (tests/payloads/email): each mail read, and what the parser made of it in its JSON's terms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email.parse import parse_email
from kintsugi.intake.inbound.normalised import InboundMessage

CORPUS = Path(__file__).resolve().parents[4] / "tests" / "payloads" / "email"
MAILBOX = "care@hotel.example"


def names() -> list[str]:
    return sorted(path.stem for path in CORPUS.glob("*.json"))


def raw(name: str) -> bytes:
    return (CORPUS / f"{name}.eml").read_bytes()


def expected(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    return found


def read(name: str) -> InboundMessage:
    return parse_email(raw(name), {}, ChannelConnection(channel="email", address=MAILBOX))


def described(message: InboundMessage, keys: set[str]) -> dict[str, Any]:
    """The message in the JSON's terms: the fields every JSON has, and those of `keys` it names too."""
    found: dict[str, Any] = {
        "sender_name": message.sender_name, "email": message.email, "subject": message.subject,
        "text": message.text,
        "attachments": [{"name": file.filename, "type": file.content_type, "size": len(file.data),
                         "inline": file.inline} for file in message.attachments],
        "ignore": message.ignore, "bounced": list(message.bounced),
    }
    optional: dict[str, Any] = {
        "full_text": message.full_text, "html": message.html, "language_hint": message.language_hint,
        "references": list(message.references), "external_id": message.external_id,
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "bounce_reason": message.bounce_reason, "notes": list(message.notes),
    }
    found.update({key: value for key, value in optional.items() if key in keys})
    return found
