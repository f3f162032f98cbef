"""Messages in and out of the outbox, delivery, and in-app notifications for staff."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, Channel, EventKind, IdentityKind
from kintsugi.comms.models import DeliveryStatus, Direction, Message, Notification
from kintsugi.comms.texts import ACKNOWLEDGEMENT, ACKNOWLEDGEMENT_SUBJECT, fill
from kintsugi.comms.transports import SendError, get_transport
from kintsugi.lib.fastinsert import insert_rows, new
from kintsugi.lib.timeutil import due_phrase

MAX_ATTEMPTS = 6
SENDING_LEASE = timedelta(minutes=10)
log = logging.getLogger("kintsugi.comms")
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
    if case.customer_id is not None:
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
    message = Message(
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
    insert_rows([message], returning_pk=True)
    if status == DeliveryStatus.QUEUED:
        _enqueue_on_commit(message.pk)
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


@cache
def _queue_is_the_database() -> bool:
    from django.tasks import task_backends
    from django_tasks_db import DatabaseBackend

    from kintsugi.comms.tasks import send_message

    return isinstance(task_backends[send_message.backend], DatabaseBackend)


def _enqueue_on_commit(message_id: int) -> None:
    """Have the worker send the message once the transaction that wrote it commits. With the database queue
    (production) the task row is written in that same transaction, so it becomes visible exactly at commit and
    rolls back with it, at no extra write transaction; other backends are called after commit."""
    _enqueue_all_on_commit([message_id])


def _enqueue_all_on_commit(message_ids: list[int]) -> None:
    """_enqueue_on_commit for several messages, their task rows written in one statement."""
    if _queue_is_the_database() and transaction.get_connection().in_atomic_block:
        _enqueue_all(message_ids)
    else:
        for message_id in message_ids:
            transaction.on_commit(partial(_enqueue, message_id))


def _enqueue(message_id: int) -> None:
    _enqueue_all([message_id])


def _enqueue_all(message_ids: list[int]) -> None:
    from kintsugi.comms.tasks import send_message

    held = _held.get()
    if held is not None:
        held.extend(message_ids)
        return
    if _queue_is_the_database():
        _enqueue_rows(message_ids)
        return
    for message_id in message_ids:
        send_message.enqueue(message_id)


def _enqueue_rows(message_ids: list[int]) -> None:
    """The task row that sends these messages on the database queue: the row the backend's enqueue writes for
    send_message(message_id) for one message, for send_messages(message_ids) for several (a burst of public form
    submissions shares one), inserted without the ORM's per-call compile."""
    from django.tasks import Task, task_backends
    from django_tasks_db.models import DBTaskResult, get_date_max

    from kintsugi.comms.tasks import send_message, send_messages

    if not message_ids:
        return
    sender: Task[Any, Any] = send_message if len(message_ids) == 1 else send_messages
    args: list[Any] = message_ids if len(message_ids) == 1 else [message_ids]
    backend = task_backends[sender.backend]
    insert_rows([
        new(
            DBTaskResult,
            id=backend._get_id(),  # type: ignore[attr-defined]
            args_kwargs={"args": args, "kwargs": {}},
            priority=sender.priority,
            task_path=sender.module_path,
            queue_name=sender.queue_name,
            run_after=sender.run_after or get_date_max(),
            backend_name=backend.alias,
        )
    ])


def record_inbound(case: Case, body: str, *, channel: str, at: datetime | None = None) -> Message:
    at = at or timezone.now()
    return Message.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        direction=Direction.INBOUND,
        channel=channel,
        body=body,
        language=case.language,
        status=DeliveryStatus.RECEIVED,
        created_at=at,
    )


def deliver(message_id: int, *, now: datetime | None = None) -> str:
    """Send one queued message through its transport, outside any transaction; record the outcome."""
    now = now or timezone.now()
    # The claim is a lease: a worker that dies mid-send leaves the row "sending" until `next_attempt_at`,
    # after which requeue_due_messages hands it out again.
    claimed = Message.objects.filter(
        pk=message_id, status=DeliveryStatus.QUEUED, direction=Direction.OUTBOUND
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE)
    if not claimed:
        return "skipped"
    message = Message.objects.select_related("case").get(pk=message_id)
    try:
        external_id = get_transport(message.channel).send(message)
    except SendError as exc:
        return _record_failure(message, exc, now)
    except Exception as exc:  # a transport bug must not leave the message stuck; retry it like a glitch
        log.exception("transport for %s raised", message.channel)
        return _record_failure(message, SendError(f"{type(exc).__name__}: {exc}"), now)
    Message.objects.filter(pk=message.pk).update(
        status=DeliveryStatus.SENT, sent_at=now, external_id=external_id, error="", next_attempt_at=None
    )
    return "sent"




@transaction.atomic
def _record_failure(message: Message, exc: SendError, now: datetime) -> str:
    if exc.permanent or message.attempts >= MAX_ATTEMPTS:
        Message.objects.filter(pk=message.pk).update(
            status=DeliveryStatus.FAILED, error=exc.reason[:1000], next_attempt_at=None
        )
        case = message.case
        CaseEvent.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            kind=EventKind.MESSAGE_STATUS,
            body=exc.reason[:1000],
            data={"message_id": message.pk, "status": DeliveryStatus.FAILED, "channel": message.channel},
            created_at=now,
        )
        recipients: list[Any] = [message.author_id] if message.author_id else []
        if case.assignee_id and case.assignee_id not in recipients:
            recipients.append(case.assignee_id)
        notify(recipients, "delivery_failed", case, at=now, data={"reason": exc.reason[:200]})
        return "failed"
    delay = timedelta(seconds=30 * 2 ** (message.attempts - 1))
    Message.objects.filter(pk=message.pk).update(
        status=DeliveryStatus.QUEUED, error=exc.reason[:1000], next_attempt_at=now + delay
    )
    return "retry"


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
        _enqueue(message_id)
    return len(ids)


def notify(
    recipients: list[Any],
    kind: str,
    case: Case | None,
    *,
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    """Tell staff something in the app; recipients are users or user ids, each told once."""
    return notify_many([(recipients, kind, case, at or timezone.now(), data)])


def notify_many(items: list[tuple[list[Any], str, Case | None, datetime, dict[str, Any] | None]]) -> int:
    """notify() for several (recipients, kind, case, at, data) at once, in one insert."""
    rows = []
    for recipients, kind, case, at, data in items:
        seen: set[int] = set()
        for recipient in recipients:
            user_id = recipient.pk if isinstance(recipient, User) else int(recipient)
            if user_id in seen:
                continue
            seen.add(user_id)
            rows.append(
                new(
                    Notification,
                    organisation_id=case.organisation_id if case else _org_of(user_id),
                    user_id=user_id,
                    case=case,
                    kind=kind,
                    data=data or {},
                    created_at=at,
                )
            )
    insert_rows(rows)
    return len(rows)


def _org_of(user_id: int) -> int:
    org_id = User.objects.filter(pk=user_id).values_list("organisation_id", flat=True).get()
    assert org_id is not None
    return org_id


def mark_notifications_read(user: User, *, ids: list[int] | None = None, at: datetime | None = None) -> int:
    """Mark the user's notifications (or only `ids`) as read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=at or timezone.now())


def queue_acknowledgement(
    case: Case,
    status_url: str,
    *,
    email: str = "",
    line_id: str = "",
    zalo_id: str = "",
    at: datetime | None = None,
) -> Message | None:
    """Put the acknowledgement of a new complaint (reference, expected first response, status link) in the
    outbox, in the case's language, on the contact the customer gave: email first, else LINE, else Zalo; None
    when they gave none we can write to. Sent by the worker after commit like any message."""
    acknowledgement = acknowledgement_for(case, status_url, email=email, line_id=line_id, zalo_id=zalo_id, at=at)
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
    zalo_id: str = "",
    at: datetime | None = None,
) -> Acknowledgement | None:
    """What queue_acknowledgement would queue for the case, short of its reference; None without a contact."""
    at = at or timezone.now()
    routes = [(Channel.EMAIL, email.strip()), (Channel.LINE, line_id.strip()), (Channel.ZALO, zalo_id.strip())]
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
        messages.append(new(
            Message,
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
        insert_rows(queued, returning_pk=True)
        _enqueue_all_on_commit([message.pk for message in queued])
    return messages
