"""The conversation on a case: internal notes, messages to the customer (through the outbox) and the customer's
messages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import User
from kintsugi.cases.errors import InvalidInput, InvalidTransition
from kintsugi.cases.hooks import outbox
from kintsugi.cases.models import Case, CaseEvent, EventKind, Status
from kintsugi.cases.services.events import MAX_MESSAGE, notify, now, record, require_view, save
from kintsugi.cases.services.lifecycle import set_status
from kintsugi.cases.services.timers import SLA_FIELDS, reschedule


@transaction.atomic
def add_note(case: Case, body: str, *, by: User, at: datetime | None = None) -> CaseEvent:
    """An internal note: on the timeline for staff, never shown to the customer."""
    at = now(at)
    require_view(case, by)
    body = body.strip()
    if not body:
        raise InvalidInput(_("The note is empty."))
    if len(body) > MAX_MESSAGE:
        raise InvalidInput(_("The note is too long (at most %(max)d characters).") % {"max": MAX_MESSAGE})
    save(case, at)
    return record(case, EventKind.NOTE, by=by, at=at, body=body)


def send_to_customer(
    case: Case,
    body: str,
    *,
    by: User | None,
    at: datetime | None = None,
    kind: str = EventKind.MESSAGE_OUT,
    data: dict[str, Any] | None = None,
) -> Any:
    """Write to the customer on the case's channel (outbox, after commit) and record it as `kind`: a reply, an
    apology, thanks-and-explain, a follow-up. The first one is the first response; it moves the case on and
    gives it an assignee. `by` None: the system (the follow-up). Call it inside a transaction."""
    at = now(at)
    require_view(case, by)
    body = body.strip()
    if not body:
        raise InvalidInput(_("The reply is empty."))
    if len(body) > MAX_MESSAGE:
        raise InvalidInput(_("The reply is too long (at most %(max)d characters).") % {"max": MAX_MESSAGE})
    if case.status == Status.CLOSED and kind != EventKind.FOLLOW_UP_SENT:
        raise InvalidTransition(_("This case is closed; reopen it to write to the customer."))
    message = outbox().send(case, body, by=by, at=at)
    fields: list[str] = []
    if case.first_response_at is None:
        case.first_response_at = at
        fields.append("first_response_at")
    if case.status in {Status.NEW, Status.ACKNOWLEDGED, Status.REOPENED}:
        case.status = Status.IN_PROGRESS
        fields.append("status")
    if case.assignee_id is None and by is not None:
        case.assignee = by
        fields.append("assignee")
    if "first_response_at" in fields:
        reschedule(case, at)
        fields += SLA_FIELDS
    save(case, at, *fields)
    record(
        case, kind, by=by, at=at, body=body, visible=True,
        data={**(data or {}), "message_id": message.pk, "channel": message.channel},
    )
    return message


@transaction.atomic
def reply(case: Case, body: str, *, by: User, at: datetime | None = None) -> Any:
    """Send a message to the customer on the case's channel (through the outbox, after commit)."""
    return send_to_customer(case, body, by=by, at=at)


@transaction.atomic
def receive_message(
    case: Case, body: str, *, at: datetime | None = None, channel: str | None = None,
    details: Mapping[str, Any] | None = None, data: Mapping[str, Any] | None = None,
) -> Any:
    """A message from the customer joins the case; a case awaiting them starts moving (and its clock) again.
    `details` go with the message to the outbox (what threads the next one: external_id, thread, connection_id,
    subject); `data` onto the timeline event (the inbound pipeline: the payload it came in)."""
    at = now(at)
    body = body.strip()
    if not body:
        raise InvalidInput(_("The message is empty."))
    if len(body) > MAX_MESSAGE:
        raise InvalidInput(_("The message is too long (at most %(max)d characters).") % {"max": MAX_MESSAGE})
    message = outbox().receive(case, body, channel=channel or case.channel, at=at, details=details)
    record(case, EventKind.MESSAGE_IN, by=None, at=at, body=body, visible=True,
           data={**(data or {}), "message_id": message.pk, "channel": message.channel})
    if case.status == Status.AWAITING_CUSTOMER:
        set_status(case, Status.IN_PROGRESS, by=None, at=at, reason="customer_replied")
    else:
        save(case, at)
    if case.assignee_id is not None:
        notify([case.assignee_id], "customer_replied", case, at=at)
    return message
