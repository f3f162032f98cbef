"""The outbox: messages to the customer queued in the transaction that caused them and sent by the worker after
commit (kintsugi.comms.delivery), messages from the customer, and acknowledgements of new complaints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone, translation

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, Channel, IdentityKind
from kintsugi.comms.delivery import MAX_ATTEMPTS, deliver
from kintsugi.comms.models import DeliveryStatus, Direction, Message
from kintsugi.comms.notifications import mark_notifications_read, notify, notify_many
from kintsugi.comms.tasks import send_message, send_messages
from kintsugi.comms.texts import ACKNOWLEDGEMENT, ACKNOWLEDGEMENT_SUBJECT, fill
from kintsugi.lib.taskqueue import enqueue_with_commit
from kintsugi.lib.timeutil import due_phrase

__all__ = [
    "MAX_ATTEMPTS", "Acknowledgement", "acknowledgement_for", "deliver", "mark_notifications_read", "notify",
    "notify_many",
    "queue_acknowledgement", "queue_acknowledgements", "queue_outbound", "record_inbound", "requeue_due_messages",
    "send_later", "sends_held",
]
# A fresh message's own task is enqueued right after commit; only if it is still queued this long after
# (its task lost to a crash, or the worker far behind) does the timer loop hand it out again.
FRESH_GRACE = timedelta(minutes=5)
# Channels where staff speak to the customer directly; the written reply is a record, not something to send.
IN_PERSON_CHANNELS = frozenset({Channel.PHONE, Channel.IN_PERSON})
CHANNEL_IDENTITY = {
    Channel.EMAIL: IdentityKind.EMAIL,
    Channel.LINE: IdentityKind.LINE,
    Channel.MESSENGER: IdentityKind.MESSENGER,
    Channel.ZALO: IdentityKind.ZALO,
}


def _route(case: Case) -> tuple[str, str]:
    """The channel and address to answer on: the case's own channel, else email for web and API cases."""
    identities: dict[str, str] = {}
    if case.customer_claimed:
        identities = dict(case.claim.get("identities", {}))  # only what this complaint gave, until confirmed
    elif case.customer_id is not None:
        identities = dict(case.customer.identities.values_list("kind", "value")) if case.customer else {}
    kind = CHANNEL_IDENTITY.get(Channel(case.channel))
    if kind is not None and identities.get(kind):
        return case.channel, identities[kind]
    if case.channel in {Channel.WEB, Channel.API} and identities.get(IdentityKind.EMAIL):
        return Channel.EMAIL, identities[IdentityKind.EMAIL]
    return case.channel, ""


def queue_outbound(case: Case, body: str, *, by: User | None, at: datetime | None = None) -> Message:
    """Put a message to the customer in the outbox; the worker sends it after the transaction commits."""
    at = at or timezone.now()
    channel, recipient = _route(case)
    if channel in IN_PERSON_CHANNELS:
        status = DeliveryStatus.RECORDED
    elif not recipient:
        # Web and API cases with no address: the customer reads it on their status page.
        status = DeliveryStatus.SENT if channel in {Channel.WEB, Channel.API} else DeliveryStatus.QUEUED
    else:
        status = DeliveryStatus.QUEUED
    message = Message.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        direction=Direction.OUTBOUND,
        channel=channel,
        recipient=recipient,
        subject=f"[{case.reference}] {case.subject}"[:200],
        body=body,
        language=case.language,
        status=status,
        author=by,
        created_at=at,
        sent_at=at if status in {DeliveryStatus.SENT, DeliveryStatus.RECORDED} else None,
        next_attempt_at=at if status == DeliveryStatus.QUEUED else None,
    )
    if status == DeliveryStatus.QUEUED:
        _enqueue_on_commit([message.pk])
    return message


_held: ContextVar[list[int] | None] = ContextVar("kintsugi_held_sends", default=None)


@contextmanager
def sends_held() -> Iterator[list[int]]:
    """Collect instead of enqueueing the sends queued inside the block (bulk loads decide what to send after)."""
    held: list[int] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def send_later(message_ids: Sequence[int]) -> None:
    """Have the worker send these queued messages, as one task, once the transaction commits: the sends a batch
    collected with sends_held (the inbound pipeline: the acknowledgements of one batch of payloads)."""
    _enqueue_on_commit(list(message_ids))


def _enqueue_on_commit(message_ids: list[int]) -> None:
    """Have the worker send these messages once the transaction that wrote them commits (one task for several:
    the acknowledgements of a burst of form submissions)."""
    enqueue_with_commit(_enqueue, message_ids)


def _enqueue(message_ids: list[int]) -> None:
    held = _held.get()
    if held is not None:
        held.extend(message_ids)
    elif len(message_ids) == 1:
        send_message.enqueue(message_ids[0])
    elif message_ids:
        send_messages.enqueue(message_ids)


def record_inbound(
    case: Case, body: str, *, channel: str, at: datetime | None = None, external_id: str = "", thread: str = "",
    connection_id: int | None = None, subject: str = "",
) -> Message:
    """A message from the customer, kept with what threads the next one to it: the provider's id of it (an
    email's Message-ID), its conversation and the connection it came through."""
    at = at or timezone.now()
    return Message.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        direction=Direction.INBOUND,
        channel=channel,
        subject=subject[:200],
        body=body,
        language=case.language,
        status=DeliveryStatus.RECEIVED,
        created_at=at,
        external_id=external_id[:200],
        thread=thread[:200],
        connection_id=connection_id,
    )


def requeue_due_messages(*, now: datetime | None = None, limit: int = 200) -> int:
    """Hand messages whose retry time has come (or whose task was lost) back to the task worker."""
    now = now or timezone.now()
    # A retry is due at its time; a fresh message gets a grace period, as its own task is on its way after commit.
    due = Q(attempts__gt=0, next_attempt_at__lte=now) | Q(attempts=0, next_attempt_at__lte=now - FRESH_GRACE)
    ids = list(
        Message.objects.filter(due, status=DeliveryStatus.QUEUED)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    stuck = Message.objects.filter(status=DeliveryStatus.SENDING, next_attempt_at__lte=now)
    stuck.update(status=DeliveryStatus.QUEUED)
    for message_id in ids:
        _enqueue([message_id])
    return len(ids)


def queue_acknowledgement(
    case: Case,
    status_url: str,
    *,
    email: str = "",
    line_id: str = "",
    messenger_id: str = "",
    zalo_id: str = "",
    at: datetime | None = None,
) -> Message | None:
    """Put the acknowledgement of a new complaint (reference, expected first response, status link) in the
    outbox, in the case's language, on the contact the customer gave: the channel the case came on first, else
    email, LINE, Messenger, Zalo in that order; None when they gave none we can write to. Sent by the worker
    after commit like any message."""
    acknowledgement = acknowledgement_for(case, status_url, email=email, line_id=line_id, messenger_id=messenger_id,
                                          zalo_id=zalo_id, at=at)
    return queue_acknowledgements([acknowledgement])[0]


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """An acknowledgement worked out up to the case's reference, which exists only once the case is written: a
    burst of public form submissions prepares these before it takes the database's write lock, and
    queue_acknowledgements fills in the references under it."""

    case: Case
    channel: str
    recipient: str
    subject: str  # the texts in the case's language, with their {placeholders}
    body: str
    values: dict[str, str]  # every placeholder's value but the reference's
    at: datetime


def acknowledgement_for(
    case: Case,
    status_url: str,
    *,
    email: str = "",
    line_id: str = "",
    messenger_id: str = "",
    zalo_id: str = "",
    at: datetime | None = None,
) -> Acknowledgement | None:
    """What queue_acknowledgement would queue for the case, short of its reference; None without a contact."""
    at = at or timezone.now()
    routes = [(Channel.EMAIL, email.strip()), (Channel.LINE, line_id.strip()),
              (Channel.MESSENGER, messenger_id.strip()), (Channel.ZALO, zalo_id.strip())]
    routes.sort(key=lambda route: route[0] != case.channel)  # the channel the customer wrote on, first
    channel, recipient = next(((c, r) for c, r in routes if r), (None, ""))
    if channel is None:
        return None
    with translation.override(case.language):
        if case.first_response_due_at is not None:
            first_response = due_phrase(
                case.first_response_due_at, tz=ZoneInfo(case.location.timezone), now=at, absolute=True
            )
        else:
            first_response = translation.gettext("as soon as we can")
        subject, body = str(ACKNOWLEDGEMENT_SUBJECT), str(ACKNOWLEDGEMENT)
    place = case.location.name + (f" · {case.touchpoint.name}" if case.touchpoint_id and case.touchpoint else "")
    values = {
        "first_response": first_response, "status_url": status_url, "place": place,
        "organisation": case.organisation.name,
    }
    return Acknowledgement(case=case, channel=channel, recipient=recipient, subject=subject, body=body,
                           values=values, at=at)


def queue_acknowledgements(acknowledgements: Sequence[Acknowledgement | None]) -> list[Message | None]:
    """Queue these acknowledgements (their cases now written, with their references): the messages in one
    insert and their send tasks in another. Returns each one's message (None for None)."""
    messages: list[Message | None] = []
    for ack in acknowledgements:
        if ack is None:
            messages.append(None)
            continue
        case = ack.case
        values = {"reference": case.reference, **ack.values}
        messages.append(Message(
            organisation_id=case.organisation_id,
            case=case,
            direction=Direction.OUTBOUND,
            channel=ack.channel,
            recipient=ack.recipient,
            subject=fill(ack.subject, values)[:200],
            body=fill(ack.body, values),
            language=case.language,
            status=DeliveryStatus.QUEUED,
            created_at=ack.at,
            next_attempt_at=ack.at,
        ))
    queued = [message for message in messages if message is not None]
    if queued:
        Message.objects.bulk_create(queued)
        _enqueue_on_commit([message.pk for message in queued])
    return messages
