"""The one shape every channel's payload is read into (ARCHITECTURE.md, "The flow of one failure", point 2). From
here on no code knows which channel a message came from, except to answer on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from kintsugi.comms.models import ChannelConnection


class EventType:
    """InboundMessage.event's values."""

    MESSAGE = "message"
    POSTBACK = "postback"
    RECEIPT = "receipt"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    UNSEND = "unsend"
    EDIT = "edit"
    OTHER = "other"  # a kind the provider added after we were written: kept, makes nothing


@dataclass(frozen=True, slots=True)
class InboundFile:
    """A file that came with the message: its bytes, the name and type the sender gave (the type is sniffed
    again from the content before it is kept), and whether it was shown inline (an image in an HTML mail)."""

    filename: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """What a customer sent, read out of one payload.

    `text` is only the new part (a reply's quoted history and signature folded away); `full_text` is all of it.
    `ignore` names why it must make no case (an InboundReason: an automatic reply, a delivery failure report, a
    loop), with `bounced` the Message-IDs of our messages a delivery failure report is about."""

    channel: str
    external_id: str  # the provider's id of this message (email: its Message-ID, without the angle brackets)
    text: str
    full_text: str = ""
    sender_name: str = ""
    email: str = ""
    phone: str = ""
    line_id: str = ""
    messenger_id: str = ""
    zalo_id: str = ""
    subject: str = ""
    html: str = ""  # sanitised (nh3), for showing the original
    attachments: tuple[InboundFile, ...] = ()
    language_hint: str = ""  # "vi", "th", "en" or "" (Content-Language, a chat profile's locale)
    thread_id: str = ""  # the provider's conversation id (chats); "" for email
    references: tuple[str, ...] = ()  # email: In-Reply-To then References, newest first, without brackets
    sent_at: datetime | None = None
    ignore: str = ""
    # What kind of event it is (the chat channels send more than messages; EventType): a message makes or joins a
    # case; a postback is a button the customer tapped (`postback` its data: a follow-up's answer); a receipt says
    # our messages `receipts` (their provider ids) were delivered or read (`receipt_status`); follow and unfollow
    # are the customer adding or blocking the account; unsend and edit change an earlier message (`receipts` names
    # it, `text` the new words).
    event: str = "message"
    postback: str = ""
    receipts: tuple[str, ...] = ()
    receipt_status: str = ""
    reply_token: str = ""  # LINE: answers within a minute of the event go out free with it
    bounced: tuple[str, ...] = ()
    bounce_reason: str = ""
    notes: tuple[str, ...] = field(default=())  # what the parser had to work around (a broken From header, ...)

    @property
    def sender(self) -> str:
        """Who sent it, as the lists show it."""
        address = self.email or self.phone or self.line_id or self.messenger_id or self.zalo_id
        if self.sender_name and address:
            return f"{self.sender_name} <{address}>"
        return self.sender_name or address


class Parser(Protocol):
    """A channel's reader: one stored payload (its raw bytes and the headers it came with) into one message.
    Raises ValueError (or anything) when it cannot: the payload is then listed as a problem, never lost."""

    def __call__(self, raw: bytes, headers: dict[str, str], connection: ChannelConnection) -> InboundMessage: ...
