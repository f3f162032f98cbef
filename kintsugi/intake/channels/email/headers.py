"""The headers of a mail as the pipeline needs them, read from their raw values so that broken ones still give
something: the sender (From, else Reply-To, else whatever is readable), the subject (decoded, on one line), the
Message-IDs it answers, when it was sent, the language it says it is in. Pure: no Django models."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from kintsugi.cases.contacts import normalise_email
from kintsugi.cases.errors import InvalidInput
from kintsugi.intake.channels.email.charsets import decode_header_value

MAX_ID = 255
_SPACE = re.compile(r"\s+")
_BRACKETED = re.compile(r"<([^<>\s]+)>")
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_NAME_JUNK = " \t\"'<>()[],;:"
_LANGUAGES = ("vi", "th", "en")

Headers = Mapping[str, Sequence[str]]


def raw_headers(mail: Message) -> dict[str, list[str]]:
    """Every header's raw values (as the parser kept them, 8-bit bytes escaped), by lower-cased name, in order."""
    found: dict[str, list[str]] = {}
    for name, value in mail.raw_items():
        found.setdefault(name.strip().lower(), []).append(str(value))
    return found


def first(headers: Headers, name: str) -> str:
    values = headers.get(name)
    return values[0] if values else ""


def text_of(value: str, language: str = "", fallback: str = "") -> str:
    """A raw header value decoded, or `fallback` (the email package's own reading) where it cannot be."""
    try:
        return decode_header_value(value, language)
    except ValueError:
        return fallback or value


def one_line(value: str) -> str:
    return _SPACE.sub(" ", value).strip()


def valid_email(value: str) -> str:
    """The address in the one form customer identities keep, or "" when it is not an address."""
    if not value or len(value) > 254 or not _EMAIL.fullmatch(value):
        return ""
    try:
        return normalise_email(value)
    except InvalidInput:
        return ""


@dataclass(frozen=True, slots=True)
class Sender:
    name: str
    email: str
    notes: tuple[str, ...] = ()


def _address(raw: str, language: str) -> tuple[str, str]:
    """(name, email) out of one address header; email "" when none is readable (the name still is)."""
    text = text_of(raw, language)
    for name, address in getaddresses([raw.replace("\r", "").replace("\n", "")]):
        email = valid_email(address.strip())
        if email:
            return one_line(text_of(name, language)).strip(_NAME_JUNK), email
    # Broken: no brackets, an unterminated quote, a name only. Take any address in it and the rest as the name.
    match = _EMAIL.search(text)
    email = valid_email(match.group(0)) if match else ""
    rest = text.replace(match.group(0), " ") if match else text
    return one_line(rest).strip(_NAME_JUNK), email


def sender(headers: Headers, language: str = "") -> Sender:
    """Who wrote the mail: From, else Reply-To when From has no usable address; notes say what was worked around."""
    notes: list[str] = []
    froms = headers.get("from", [])
    if len(froms) > 1:
        notes.append(f"{len(froms)} From headers: the first was read")
    name, email = _address(froms[0], language) if froms else ("", "")
    if not froms:
        notes.append("no From header")
    elif not email:
        notes.append("the From header has no readable address")
    if not email:
        reply_to = first(headers, "reply-to")
        if reply_to:
            reply_name, email = _address(reply_to, language)
            name = name or reply_name
            if email:
                notes.append("the address was taken from Reply-To")
    return Sender(name[:200], email, tuple(notes))


def subject(headers: Headers, language: str = "", fallback: str = "") -> str:
    """The subject decoded, on one line, its Re:/Fwd:/TL:/Trả lời:/ตอบกลับ: prefixes kept."""
    return one_line(text_of(first(headers, "subject"), language, fallback))


def message_id(value: str) -> str:
    """A Message-ID header's id, without the angle brackets ("" when it has none)."""
    value = value.strip()
    match = _BRACKETED.search(value)
    found = match.group(1) if match else (value.split()[0].strip("<>") if value.split() else "")
    return found[:MAX_ID]


def external_id(headers: Headers, raw: bytes) -> str:
    """The mail's Message-ID (what a redelivery repeats), else a digest of its bytes."""
    found = message_id(first(headers, "message-id"))
    return found or "sha256:" + hashlib.sha256(raw).hexdigest()


def _ids(value: str) -> list[str]:
    found = _BRACKETED.findall(value)
    if not found:
        found = [token.strip("<>,;") for token in value.split() if "@" in token]
    return [item[:MAX_ID] for item in found if item]


def references(headers: Headers) -> tuple[str, ...]:
    """In-Reply-To, then References newest first; without brackets, each once."""
    ordered = _ids(" ".join(headers.get("in-reply-to", []))) + list(
        reversed(_ids(" ".join(headers.get("references", []))))
    )
    return tuple(dict.fromkeys(ordered))


def sent_at(headers: Headers) -> datetime | None:
    value = first(headers, "date").strip()
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def language(*values: str) -> str:
    """The first of vi, th, en a Content-Language header names ("" for none of them)."""
    for value in values:
        for tag in re.split(r"[\s,;]+", value.strip().lower()):
            primary = tag.split("-", 1)[0].split("_", 1)[0]
            if primary in _LANGUAGES:
                return primary
    return ""
