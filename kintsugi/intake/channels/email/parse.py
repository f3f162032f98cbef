"""One raw RFC 822 mail into one InboundMessage (the email channel's parser).

Read with the standard library's `email` package under policy `default` (its MIME headers' parse cached: the
package re-parses Content-Type on every look, which made an ordinary mail cost milliseconds), falling back on
`compat32` for a mail `default` cannot read. The headers are decoded from their raw values (kintsugi.intake.
channels.email.headers), the bodies and files walked once (parts), the charsets read as real mail writes them
(charsets), HTML sanitised and turned into text only when there is no text/plain (html), a reply's history folded
away (replies), automatic replies and bounces recognised (automatic). Never raises for a mail that is merely
broken: what had to be worked around is in `notes`."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import EmailPolicy
from functools import lru_cache
from typing import Any

from kintsugi.cases.models import Channel
from kintsugi.comms.mailids import message_pk_from_id
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email import automatic, html, parts, replies
from kintsugi.intake.channels.email import headers as mail_headers
from kintsugi.intake.inbound.normalised import InboundMessage
from kintsugi.intake.models import InboundReason

_MIME_HEADERS = frozenset({"content-type", "content-disposition", "content-transfer-encoding"})
_BLANK_LINES = re.compile(r"\n{3,}")
MAX_FOLDED = 100_000  # characters of a very long mail read for its reply headers (the case keeps 10,000)


@lru_cache(maxsize=2048)
def _mime_header(name: str, value: str) -> Any:
    return policy.default.header_fetch_parse(name, value)


class _Policy(EmailPolicy):
    """policy.default, with the MIME headers' parsed values kept (they are immutable) instead of parsed anew on
    every get_content_type()."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if name.lower() in _MIME_HEADERS:
            return _mime_header(name, value)
        return super().header_fetch_parse(name, value)


POLICY = _Policy()
_HEADERS_ONLY = BytesHeaderParser(policy=POLICY)


def _read(raw: bytes) -> tuple[Message, tuple[str, ...]]:
    try:
        return message_from_bytes(raw, policy=POLICY), ()
    except Exception:  # a mail policy `default` chokes on: the lenient reading still gives its text
        return message_from_bytes(raw, policy=policy.compat32), ("read with the compat32 policy",)


def external_id_of(raw: bytes) -> str:
    """The mail's Message-ID (what a redelivery repeats), else a digest of its bytes."""
    ends = [end for end in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if end >= 0]
    block = raw[:min(ends)] + b"\n\n" if ends else raw  # the header section: a large body is not decoded
    try:
        found = mail_headers.raw_headers(_HEADERS_ONLY.parsebytes(block))
    except Exception:
        found = {}
    return mail_headers.external_id(found, raw)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _fallback_subject(mail: Message) -> str:
    try:
        return str(mail.get("subject", "") or "")
    except Exception:
        return ""


def _is_report(mail: Message) -> bool:
    try:
        return mail.get_content_type() == "multipart/report" and str(
            mail.get_param("report-type", "")).lower() == "delivery-status"
    except Exception:
        return False


def _language_of(connection: ChannelConnection) -> str:
    organisation = getattr(connection, "organisation", None)
    return str(getattr(organisation, "default_language", "") or "")


def parse_email(raw: bytes, headers: dict[str, str], connection: ChannelConnection) -> InboundMessage:
    """The customer's mail as the pipeline reads it (see the module's contract)."""
    language = _language_of(connection)
    mail, notes = _read(raw)
    found = mail_headers.raw_headers(mail)
    who = mail_headers.sender(found, language)
    subject = mail_headers.subject(found, language, _fallback_subject(mail))
    notes += who.notes
    if len(found.get("subject", [])) > 1:
        notes += (f"{len(found['subject'])} Subject headers: the first was read",)
    sent_at = mail_headers.sent_at(found)
    if sent_at is None and mail_headers.first(found, "date"):
        notes += ("the Date header could not be read",)
    external_id = mail_headers.external_id(found, raw)
    if external_id.startswith("sha256:"):
        notes += ("no Message-ID: the digest of the mail is its id",)

    body = parts.Body()
    parts.Walker(language).walk(mail, body)
    full_text = _tidy(body.text())
    markup = html.sanitise("\n".join(body.html)) if body.html else ""

    ignore, bounce_reason = "", ""
    bounced: tuple[str, ...] = ()
    report = automatic.bounce(found, who.email, subject, body, full_text, external_id, _is_report(mail))
    own = connection.address.strip().casefold()
    if report is not None:
        ignore = InboundReason.BOUNCE if report.failed else InboundReason.AUTO_REPLY
        bounced, bounce_reason = (report.ids, report.reason) if report.failed else ((), "")
    elif (own and who.email == own) or message_pk_from_id(external_id) is not None:
        ignore = InboundReason.LOOP
    elif automatic.is_automatic(found, subject):
        ignore = InboundReason.AUTO_REPLY

    # Only a person's reply has history worth folding: automatic mail is kept whole (a bounce quotes headers).
    text = full_text if ignore else _tidy(replies.fold(full_text[:MAX_FOLDED]))
    return InboundMessage(
        channel=Channel.EMAIL, external_id=external_id, text=text, full_text=full_text,
        sender_name=who.name, email=who.email, subject=subject, html=markup, attachments=body.inbound_files(),
        language_hint=mail_headers.language(mail_headers.first(found, "content-language"), *body.languages),
        references=mail_headers.references(found), sent_at=sent_at, ignore=str(ignore), bounced=bounced,
        bounce_reason=bounce_reason, notes=notes,
    )

