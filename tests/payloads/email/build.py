"""Helpers the corpus definitions write mails with: headers and bodies as bytes, the encodings clients use."""

from __future__ import annotations

import base64
import quopri
import struct
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from email import quoprimime
from typing import Any

MAILBOX = "care@hotel.example"
OUR_ID = "kintsugi.17.5f2c0d9a1b3e4f60@hotel.example"  # what our Message-IDs look like (mailids.message_id_for)
RECEIVED = (
    "from mx.hotel.example (mx.hotel.example [203.0.113.25])\n\tby imap.hotel.example (Dovecot) with LMTP id"
    " 9fJkL2a8"
)


@dataclass(frozen=True, slots=True)
class Mail:
    raw: bytes
    expected: dict[str, Any]


def crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def mail(headers: Sequence[tuple[str, str | bytes]], body: bytes | str) -> bytes:
    """A mail's bytes, its lines ended with CRLF as on the wire."""
    lines = [name.encode("ascii") + b": " + (value if isinstance(value, bytes) else value.encode("ascii"))
             for name, value in headers]
    data = body.encode("ascii") if isinstance(body, str) else body
    return crlf(b"\n".join(lines) + b"\n\n" + data)


def qp(data: str | bytes, charset: str = "utf-8") -> bytes:
    raw = data.encode(charset) if isinstance(data, str) else data
    return quopri.encodestring(raw.replace(b"\r\n", b"\n"))


def b64(data: str | bytes, charset: str = "utf-8") -> bytes:
    raw = data.encode(charset) if isinstance(data, str) else data
    return base64.encodebytes(raw)


_CODECS = {"windows-874": "cp874"}  # a label Python's codecs do not know by that name


def _encode(text: str | bytes, charset: str) -> bytes:
    return text.encode(_CODECS.get(charset, charset)) if isinstance(text, str) else text


def word_b(text: str | bytes, charset: str = "utf-8") -> str:
    raw = _encode(text, charset)
    return f"=?{charset}?B?{base64.b64encode(raw).decode()}?="


def word_q(text: str | bytes, charset: str = "utf-8") -> str:
    raw = _encode(text, charset)
    return f"=?{charset}?Q?{quoprimime.header_encode(raw)[len('=?iso-8859-1?q?'):-2]}?="


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: a base letter (â, ơ, ư ... precomposed) and a combining tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out += base.encode("cp1258") + "".join(c for c in decomposed if c in _TONES).encode("cp1258")
    return bytes(out)


def png(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, grey) PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def attachment(name: str, content_type: str, data: bytes, inline: bool = False) -> dict[str, Any]:
    return {"name": name, "type": content_type, "size": len(data), "inline": inline}


def expect(**fields: Any) -> dict[str, Any]:
    """What the parser must read: sender_name, email, subject, text, attachments, ignore, bounced, bounce_reason,
    language_hint, references and notes (always), and any of full_text, html, sent_at, external_id."""
    found: dict[str, Any] = {"sender_name": "", "email": "", "subject": "", "text": "", "attachments": [],
                             "ignore": "", "bounced": [], "bounce_reason": "", "language_hint": "",
                             "references": [], "notes": []}
    found.update(fields)
    return found
