"""One outbound message as the mail the customer's client shows and threads: text and HTML in the case's language,
our own Message-ID (the same on every attempt), In-Reply-To and References naming the conversation so far, the
case reference once in the subject, and the headers that keep other robots from answering an automatic message."""

from __future__ import annotations

import re

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from kintsugi.comms.mailids import message_id_for
from kintsugi.comms.models import Message
from kintsugi.comms.transports.mail.thread import MailThread

# A case reference, with the brackets it is written in (K-2026-000123, [K-2026-000123]).
_REFERENCE = re.compile(r"\[?\s*\bK-\d{4}-\d{6,}\b\s*\]?")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?])")  # what a reference taken out leaves ("about , the bill")
# What mail clients put before a subject they answer or forward, in the languages our customers write in
# (Re, Fwd, Outlook's AW/SV/VS/TR/RV/Antw, Vietnamese "Trả lời"/"Chuyển tiếp", Thai, Chinese, Japanese).
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|sv|vs|tr|rv|antw|wg|trả\s+lời|chuyển\s+tiếp|ตอบกลับ|ส่งต่อ|回复|答复|回覆|转发|轉寄|返信|転送)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:\uff1a]\s*)+",
    re.IGNORECASE,
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bare(subject: str) -> str:
    """The subject without case references and without the prefixes clients add when answering."""
    without = _SPACE_BEFORE_MARK.sub(r"\1", _one_line(_REFERENCE.sub(" ", subject)))
    return _one_line(_PREFIX.sub("", without)).strip(" -\u2013\u2014:|")


def reply_subject(customer_subject: str, reference: str, *, fallback: str) -> str:
    """The subject of our answer to a customer's mail: "Re: <their subject> [reference]", the reference once."""
    bare = _bare(customer_subject) or _bare(fallback)
    return f"Re: {bare} [{reference}]" if bare else f"Re: [{reference}]"


def with_reference(subject: str, reference: str) -> str:
    """A subject of our own ("[reference] subject") carrying the reference exactly once."""
    bare = _bare(subject)
    return f"[{reference}] {bare}" if bare else f"[{reference}]"


def _ids(values: tuple[str, ...]) -> str:
    return " ".join(f"<{value}>" for value in values)


def compose(message: Message, thread: MailThread, *, from_email: str, can_reply: bool) -> EmailMultiAlternatives:
    """The mail for `message` from `from_email`; `can_reply`: the customer's answer reaches a mailbox we read."""
    case = message.case
    reference = case.reference
    if thread.customer_subject is not None:
        subject = reply_subject(thread.customer_subject, reference, fallback=case.subject)
    else:
        subject = with_reference(message.subject or case.subject, reference)
    headers = {"Message-ID": f"<{message_id_for(message.pk)}>", "X-Kintsugi-Case": reference}
    if thread.replying_to:
        headers["In-Reply-To"] = f"<{thread.replying_to}>"
    if thread.references:
        headers["References"] = _ids(thread.references)
    if message.author_id is None:
        # Acknowledgements, follow-ups, system messages: an out-of-office answering them must not answer back
        # (RFC 3834), and Exchange is asked not to send its own automatic replies to them.
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    context = {
        "body": message.body, "subject": subject, "reference": reference, "language": message.language,
        "organisation": case.organisation.name, "can_reply": can_reply,
    }
    with translation.override(message.language):
        text = render_to_string("comms/email/message.txt", context)
        html = render_to_string("comms/email/message.html", context)
    email = EmailMultiAlternatives(subject=subject, body=text, from_email=from_email, to=[message.recipient],
                                   headers=headers)
    email.attach_alternative(html, "text/html")
    return email
