"""Delivery: one queued message sent through its channel's transport, outside any transaction, and the outcome
recorded (sent; retried with backoff; or failed, on the case's timeline, and its author told)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kintsugi.cases.models import EventKind
from kintsugi.cases.services import record_event
from kintsugi.comms.models import DeliveryStatus, Direction, Message
from kintsugi.comms.notifications import notify
from kintsugi.comms.transports import SendError, get_transport

MAX_ATTEMPTS = 6
SENDING_LEASE = timedelta(minutes=10)
log = logging.getLogger("kintsugi.comms")


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
        mark_failed(message, exc.reason, now)
        return "failed"
    delay = timedelta(seconds=30 * 2 ** (message.attempts - 1))  # 30 s, 1, 2, 4, 8 minutes
    Message.objects.filter(pk=message.pk).update(
        status=DeliveryStatus.QUEUED, error=exc.reason[:1000], next_attempt_at=now + delay
    )
    return "retry"


@transaction.atomic
def mark_failed(message: Message, reason: str, now: datetime, *, bounced: bool = False) -> None:
    """The message did not reach the customer: failed for good (the transport gave up, or the customer's mail
    server sent a delivery failure report back, `bounced`), on its case's timeline, its author and the
    case's assignee told."""
    Message.objects.filter(pk=message.pk).update(status=DeliveryStatus.FAILED, error=reason[:1000],
                                                 next_attempt_at=None)
    case = message.case
    record_event(case, EventKind.MESSAGE_STATUS, by=None, at=now, body=reason[:1000],
                 data={"message_id": message.pk, "status": DeliveryStatus.FAILED, "channel": message.channel,
                       **({"bounced": True} if bounced else {})})
    recipients: list[Any] = [message.author_id] if message.author_id else []
    if case.assignee_id and case.assignee_id not in recipients:
        recipients.append(case.assignee_id)
    notify(recipients, "delivery_failed", case, at=now, data={"reason": reason[:200]})
