"""A mail's MIME tree walked once: the text a person reads (text/plain where the mail has it, else its HTML turned
into text), the HTML to show the original, the files (inline images and attachments), forwarded mails and the
parts of a delivery status report. Pure: no Django.

A forwarded mail (a message/rfc822 part) is content the customer meant us to read: its text is appended under a
"---------- Forwarded message ----------" block (as mail clients write an inline forward) and its own
attachments are extracted; inside a delivery report it is the original instead, read only for its Message-ID."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import collapse_rfc2231_value

from kintsugi.intake.channels.email import charsets, headers, html
from kintsugi.intake.inbound.normalised import InboundFile

MAX_DEPTH = 12
_FLOWED_QUOTE = re.compile(r"^>+")


@dataclass(slots=True)
class File:
    filename: str
    content_type: str
    data: bytes
    disposition: str  # "inline", "attachment" or ""
    content_id: str


@dataclass(slots=True)
class Report:
    """What a delivery status report says: its per-recipient fields and the Message-IDs of the mail it is about."""

    fields: list[dict[str, str]] = field(default_factory=list)
    original_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Body:
    segments: list[str] = field(default_factory=list)  # the readable text, part by part
    html: list[str] = field(default_factory=list)  # the HTML parts, raw
    files: list[File] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    attached_ids: list[str] = field(default_factory=list)  # Message-IDs of attached mails (a bounce's original)
    languages: list[str] = field(default_factory=list)  # the Content-Language of the text parts
    html_only: bool = False

    def text(self) -> str:
        return "\n\n".join(segment for segment in self.segments if segment.strip())

    def inbound_files(self) -> tuple[InboundFile, ...]:
        shown = set().union(*(html.content_ids(markup) for markup in self.html)) if self.html else set()
        return tuple(
            InboundFile(
                filename=file.filename, content_type=file.content_type, data=file.data,
                inline=file.disposition == "inline" or (bool(file.content_id) and file.content_id in shown
                                                         and file.disposition != "attachment"),
            )
            for file in self.files
        )


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def _param(part: Message, name: str, default: str = "", header: str = "content-type") -> str:
    try:
        value = part.get_param(name, default, header=header)
    except Exception:
        return default
    if isinstance(value, tuple):
        value = collapse_rfc2231_value(value)
    return str(value) if isinstance(value, str) else default


def _disposition(part: Message) -> str:
    try:
        return part.get_content_disposition() or ""
    except Exception:
        return ""


def _filename(part: Message, language: str) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    if not name or "\ufffd" in name:
        # Raw 8-bit bytes in the header (a TIS-620 or UTF-8 name without any encoding): read them as text first.
        raw = headers.raw_headers(part)
        for header in ("content-disposition", "content-type"):
            value = headers.first(raw, header)
            if charsets.has_raw_bytes(value):
                probe = Message()
                probe["Content-Type"] = "application/octet-stream"
                probe[header] = charsets.decode(charsets.raw_bytes(value), "", language)
                found = probe.get_filename() if header == "content-disposition" else probe.get_param(
                    "name", header=header)
                if isinstance(found, str) and found:
                    return headers.one_line(found)
    if "=?" in name:
        name = headers.text_of(name, language, name)
    return headers.one_line(name)[:200]


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    return payload.encode("utf-8", errors="surrogateescape") if isinstance(payload, str) else b""


def _quoted(depth: int, content: str) -> str:
    return (">" * depth + " " + content) if depth else content


def unflow(text: str, delsp: bool) -> str:
    """format=flowed (RFC 3676) text with its soft line breaks joined again, as the sender wrote it."""
    out: list[str] = []
    pending: tuple[int, str] | None = None
    for line in text.split("\n"):
        quote = _FLOWED_QUOTE.match(line)
        depth = len(quote.group(0)) if quote else 0
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffed
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if pending is not None:
            if pending[0] == depth:
                content = pending[1] + content
            else:
                out.append(_quoted(*pending))
            pending = None
        if flowed:
            pending = (depth, content)
        else:
            out.append(_quoted(depth, content))
    if pending is not None:
        out.append(_quoted(*pending))
    return "\n".join(out)


def _text(part: Message, language: str) -> str:
    text = charsets.decode(_payload(part), _param(part, "charset"), language)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _param(part, "format").lower() == "flowed":
        text = unflow(text, _param(part, "delsp").lower() == "yes")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _is_attachment(part: Message, ctype: str) -> bool:
    if _disposition(part) == "attachment":
        return True
    return ctype not in ("text/plain", "text/html") or bool(
        _param(part, "name") or _param(part, "filename", header="content-disposition")
    )


def _wants(child: Message, subtype: str) -> bool:
    """Whether `child` of an alternative holds a text/<subtype> body."""
    if _content_type(child) == f"text/{subtype}":
        return True
    if child.is_multipart():
        return any(_content_type(grandchild) == f"text/{subtype}" and _disposition(grandchild) != "attachment"
                   for grandchild in child.walk())
    return False


class Walker:
    def __init__(self, language: str) -> None:
        self.language = language

    def walk(self, part: Message, body: Body, *, text: bool = True, display: bool = True, depth: int = 0,
             report: bool = False) -> None:
        if depth > MAX_DEPTH:
            return
        ctype = _content_type(part)
        # message/* parts hold parsed messages, so the email package calls them multipart too: these first.
        if ctype in ("message/rfc822", "message/global"):
            self._attached(part, body, depth=depth, report=report)
        elif ctype in ("message/delivery-status", "message/global-delivery-status"):
            self._delivery_status(part, body)
        elif part.is_multipart():
            self._multipart(part, ctype, body, text=text, display=display, depth=depth)
        elif ctype in ("text/rfc822-headers", "text/global-headers"):
            self._original_headers(part, body)
        elif _is_attachment(part, ctype):
            content_id = headers.message_id(headers.first(headers.raw_headers(part), "content-id"))
            body.files.append(File(_filename(part, self.language), ctype, _payload(part), _disposition(part),
                                   content_id))
        elif ctype == "text/plain":
            if text:
                body.segments.append(_text(part, self.language))
                body.languages.append(headers.first(headers.raw_headers(part), "content-language"))
        elif ctype == "text/html":
            markup = _text(part, self.language)
            if display:
                body.html.append(markup)
            if text:
                body.segments.append(html.to_text(markup))
                body.html_only = True

    def _multipart(self, part: Message, ctype: str, body: Body, *, text: bool, display: bool, depth: int) -> None:
        payload = part.get_payload()
        children = [child for child in payload if isinstance(child, Message)] if isinstance(payload, list) else []
        if ctype == "multipart/alternative":
            plain = next((child for child in reversed(children) if _wants(child, "plain")), None)
            rich = next((child for child in reversed(children) if _wants(child, "html")), None)
            if plain is not None and plain is rich:
                self.walk(plain, body, text=text, display=display, depth=depth + 1)
                return
            if plain is not None:
                self.walk(plain, body, text=text, display=False, depth=depth + 1)
            if rich is not None:
                self.walk(rich, body, text=text and plain is None, display=display, depth=depth + 1)
            if plain is None and rich is None and children:
                self.walk(children[-1], body, text=text, display=display, depth=depth + 1)
        elif ctype == "multipart/report":
            for child in children:
                self.walk(child, body, text=text, display=display, depth=depth + 1, report=True)
        elif ctype == "multipart/signed":
            if children:
                self.walk(children[0], body, text=text, display=display, depth=depth + 1)
        else:
            for child in children:
                self.walk(child, body, text=text, display=display, depth=depth + 1)

    def _attached(self, part: Message, body: Body, *, depth: int, report: bool) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload and isinstance(payload[0], Message) else None
        if inner is None:
            return
        raw = headers.raw_headers(inner)
        found = headers.message_id(headers.first(raw, "message-id"))
        if report:
            if found:
                body.report.original_ids.append(found)
            return
        if found:
            body.attached_ids.append(found)
        forwarded = Body()
        self.walk(inner, forwarded, depth=depth + 1)
        lines = ["---------- Forwarded message ----------"]
        for name, label in (("from", "From"), ("date", "Date"), ("subject", "Subject"), ("to", "To")):
            value = headers.one_line(headers.text_of(headers.first(raw, name), self.language))
            if value:
                lines.append(f"{label}: {value}")
        body.segments.append("\n".join(lines) + "\n\n" + forwarded.text())
        body.files.extend(file for file in forwarded.files if file.disposition != "inline")

    def _delivery_status(self, part: Message, body: Body) -> None:
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        for block in blocks:
            if isinstance(block, Message):
                body.report.fields.append({
                    name: headers.one_line(values[0]) for name, values in headers.raw_headers(block).items()
                })

    def _original_headers(self, part: Message, body: Body) -> None:
        text = _text(part, self.language)
        match = re.search(r"^Message-ID:[ \t]*(.*(?:\n[ \t]+.*)*)", text, re.IGNORECASE | re.MULTILINE)
        if match:
            found = headers.message_id(match.group(1))
            if found:
                body.report.original_ids.append(found)
