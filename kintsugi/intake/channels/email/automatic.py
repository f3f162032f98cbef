"""Mail no person wrote, which must make no case: automatic replies (out of office, vacation responders, list and
newsletter mail) and delivery failure reports (bounces), the latter naming the Message-IDs of the mail that
could not be delivered and why. Pure: no Django.

An automatic reply is any of: Auto-Submitted other than "no" (RFC 3834); X-Autoreply or X-Autorespond; Precedence
bulk, list, junk or auto_reply; Exchange's X-Auto-Response-Suppress of All or OOF on a mail that answers another
(In-Reply-To) from Exchange (Thread-Topic): Exchange puts it on its out-of-office answers, which often carry no
Auto-Submitted, while a help desk's notifications carry it without being answers; List-Id or List-Unsubscribe (a
mailing list or a newsletter: no customer writes to a care address through one); a typical out-of-office subject
in English, Vietnamese or Thai.

A bounce is a delivery status report (multipart/report with message/delivery-status, RFC 3464) saying "failed",
or one of the common non-standard ones: from MAILER-DAEMON or postmaster, or with X-Failed-Recipients, or a
bounce's subject on an automatic mail. A report that the mail is only delayed is an automatic reply, not a
failure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from kintsugi.intake.channels.email.headers import Headers, first, message_id, one_line
from kintsugi.intake.channels.email.parts import Body

_NEGATIVE = frozenset({"no", "false", "0"})
_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply", "auto-reply"})
_SUPPRESS = frozenset({"all", "oof"})
_PREFIX = r"^(?:\s*(?:re|aw|sv|fw|fwd|tl|tr|trả lời|ตอบกลับ)\s*:\s*)*"
_OUT_OF_OFFICE = re.compile(
    _PREFIX + r"(?:"
    r"(?:automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|automatic response|out of (?:the )?office"
    r"|trả lời tự động|tự động trả lời|thư trả lời tự động|ตอบกลับอัตโนมัติ|การตอบกลับอัตโนมัติ"
    r"|ข้อความตอบกลับอัตโนมัติ)"
    r"|(?:vắng mặt|không có mặt tại văn phòng|ไม่อยู่ที่สำนักงาน|ไม่อยู่ที่ออฟฟิศ|away from (?:the )?office"
    r"|on vacation|on holiday)(?=\s*(?:[:\-\u2013(\[]|$)))",
    re.IGNORECASE,
)
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "mailerdaemon", "mail-daemon", "postmaster"})
_BOUNCE_SUBJECT = re.compile(
    _PREFIX + r"(?:undeliver(?:ed|able)|delivery status notification|delivery (?:has )?failed|delivery failure"
    r"|returned mail|mail delivery (?:failed|failure|system)|failure notice|message not delivered|non-?delivery"
    r"|could not send|thư không gửi được|không gửi được thư|không thể gửi|ส่งไม่ถึง|ส่งไม่สำเร็จ|ไม่สามารถส่ง)",
    re.IGNORECASE,
)
_DELAYED = re.compile(r"\b(?:delay(?:ed)?|warning: message|still trying)\b", re.IGNORECASE)
_QUOTED_ID = re.compile(r"^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
_DIAGNOSTIC = re.compile(r"^[ \t>]*Diagnostic-Code:[ \t]*(?:[\w-]+;[ \t]*)?(.+(?:\n[ \t]+.+)*)",
                         re.IGNORECASE | re.MULTILINE)
_SMTP_REPLY = re.compile(r"(?<![\w.])[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b[^\n]*")
_REMOTE_SAID = re.compile(r"(?:Remote host said|remote server said|The error that the other server returned was)"
                          r":?[ \t]*\n?[ \t]*([^\n]+)", re.IGNORECASE)
_BARE_SMTP_REPLY = re.compile(r"(?<![\w.])5\d\d[ -](?=[^\n]*[A-Za-z]{3})[^\n]+")
_ORIGINAL_COPY = re.compile(
    r"^[ \t]*(?:-+ ?(?:Below this line is a copy|This is a copy|Original message|Original Message)"
    r"|Original message headers:|------ This is a copy)", re.IGNORECASE | re.MULTILINE,
)
MAX_REASON = 300


@dataclass(frozen=True, slots=True)
class Bounce:
    ids: tuple[str, ...]
    reason: str
    failed: bool  # False: a report that the mail is only delayed (or was delivered)


def _value(headers: Headers, name: str) -> str:
    return first(headers, name).split(";", 1)[0].strip().strip("\"'").lower()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_automatic(headers: Headers, subject: str) -> bool:
    """Whether the mail is an automatic reply, a mailing list's or a newsletter (see the module's contract)."""
    auto_submitted = _value(headers, "auto-submitted")
    if auto_submitted and auto_submitted != "no":
        return True
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if name in headers and _value(headers, name) not in _NEGATIVE:
            return True
    if _value(headers, "precedence") in _PRECEDENCE or _value(headers, "x-precedence") in _PRECEDENCE:
        return True
    suppress = {token.strip().lower() for token in first(headers, "x-auto-response-suppress").split(",")}
    if suppress & _SUPPRESS and "in-reply-to" in headers and "thread-topic" in headers:
        return True
    if "list-id" in headers or "list-unsubscribe" in headers:
        return True
    return bool(_OUT_OF_OFFICE.search(_nfc(subject)))


def _reason_in(text: str) -> str:
    text = _ORIGINAL_COPY.split(text, maxsplit=1)[0]
    for pattern, group in ((_DIAGNOSTIC, 1), (_SMTP_REPLY, 0), (_REMOTE_SAID, 1), (_BARE_SMTP_REPLY, 0)):
        match = pattern.search(text)
        if match:
            return one_line(match.group(group))[:MAX_REASON]
    return ""


def _report_reason(fields: Sequence[dict[str, str]]) -> tuple[str, bool]:
    recipients = [block for block in fields if "action" in block or "final-recipient" in block]
    actions = {block.get("action", "").strip().lower() for block in recipients}
    failed = "failed" in actions or (not actions - {""} and any(
        block.get("status", "").strip().startswith("5") for block in recipients))
    for block in recipients:
        if block.get("action", "").strip().lower() in ("failed", "") and block.get("diagnostic-code"):
            diagnostic = block["diagnostic-code"]
            kind, separator, rest = diagnostic.partition(";")
            return one_line(rest if separator and " " not in kind.strip() else diagnostic)[:MAX_REASON], failed
    for block in recipients:
        if block.get("status"):
            return block["status"].strip()[:MAX_REASON], failed
    return "", failed


def bounce(headers: Headers, sender_email: str, subject: str, body: Body, text: str,
           own_id: str, is_report: bool) -> Bounce | None:
    """The delivery failure report this mail is, or None."""
    local = sender_email.partition("@")[0].lower()
    subject = _nfc(subject)
    automatic = "auto-submitted" in headers or first(headers, "return-path").strip() == "<>"
    if not (is_report or body.report.fields or local in _BOUNCE_SENDERS or "x-failed-recipients" in headers
            or (automatic and _BOUNCE_SUBJECT.search(subject))):
        return None
    ids = [*body.report.original_ids, *body.attached_ids]
    if not ids:
        ids = [message_id(found) for found in _QUOTED_ID.findall(text)]
    ids = [found for found in dict.fromkeys(ids) if found and found != own_id]
    if body.report.fields:
        reason, failed = _report_reason(body.report.fields)
        reason = reason or _reason_in(text)
    else:
        reason = _reason_in(text)
        failed = not _DELAYED.search(subject)
    return Bounce(tuple(ids), reason, failed)
