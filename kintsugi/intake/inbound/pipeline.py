"""Steps two and three of the inbound pipeline: each stored payload read by its channel's parser into one
InboundMessage, then put where it belongs: a new case, the open case it threads to (kintsugi.intake.inbound.
threads), a resolved case reopened, or a new case carrying on from a closed one. Automatic replies, delivery
failure reports (which mark the message they are about as failed) and loops make no case; they are kept and
listed. A payload that cannot be read or put on a case stays listed as a problem with its error, to be
processed again; nothing is lost.

Payloads are read in batches: the parsing (and photo re-encoding) before any transaction, then one transaction
per batch with a savepoint per payload, so a crash rolls the batch back whole (every payload still waiting, read
again once the worker is back) and one payload's failure costs only its own savepoint."""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, CaseEvent, EventKind, Status
from kintsugi.comms.delivery import mark_failed
from kintsugi.comms.mailids import message_pk_from_id
from kintsugi.comms.models import ChannelConnection, Direction, Message
from kintsugi.comms.services import queue_acknowledgement, record_inbound, send_later, sends_held
from kintsugi.intake.inbound import files as inbound_files
from kintsugi.intake.inbound.normalised import InboundMessage
from kintsugi.intake.inbound.parsers import PARSERS
from kintsugi.intake.inbound.threads import find_thread
from kintsugi.intake.models import InboundPayload, InboundReason, InboundStatus
from kintsugi.intake.services import issue_link, status_url

log = logging.getLogger("kintsugi.inbound")
MAX_TEXT = cases.MAX_DESCRIPTION


@dataclass(frozen=True, slots=True)
class _Read:
    message: InboundMessage
    files: inbound_files.Files


def _read(payload: InboundPayload) -> _Read:
    parser = PARSERS.get(payload.channel)
    if parser is None:
        raise ValueError(f"no parser for the {payload.channel} channel")
    message = parser(bytes(payload.raw), dict(payload.headers), payload.connection)
    return _Read(message, inbound_files.prepare(message.attachments))


def _error(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(exc)).strip()[:2000]


def process_payloads(ids: Sequence[int]) -> dict[str, int]:
    """Read the payloads still waiting among `ids` and put each where it belongs; how many went which way."""
    outcomes: Counter[str] = Counter()
    batch = max(1, settings.INBOUND_BATCH)
    for start in range(0, len(ids), batch):
        outcomes.update(_process_batch(ids[start:start + batch]))
    return dict(outcomes)


def _process_batch(ids: Sequence[int]) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    payloads = list(
        InboundPayload.objects.filter(pk__in=list(ids), status=InboundStatus.PENDING)
        .select_related("connection", "connection__organisation", "connection__location", "connection__touchpoint",
                        "connection__category").order_by("pk")
    )
    read: dict[int, _Read | BaseException] = {}
    for payload in payloads:
        try:
            read[payload.pk] = _read(payload)
        except Exception as exc:
            read[payload.pk] = exc
    with transaction.atomic():
        # Claimed: another worker reading the same ids skips these (PostgreSQL); SQLite's write lock, taken at
        # BEGIN, serialises the batches whole.
        waiting = set(InboundPayload.objects.select_for_update(skip_locked=True)
                      .filter(pk__in=[p.pk for p in payloads], status=InboundStatus.PENDING)
                      .values_list("pk", flat=True))
        # The acknowledgements the batch queues go to the worker as one task, not one each.
        with sends_held() as sends:
            for payload in payloads:
                if payload.pk not in waiting:
                    continue
                result = read[payload.pk]
                if isinstance(result, BaseException):
                    _finish(payload, InboundStatus.FAILED, InboundReason.UNREADABLE, error=_error(result))
                    outcomes["failed"] += 1
                    continue
                held = len(sends)
                try:
                    with transaction.atomic():
                        outcome = _take(payload, result)
                except Exception as exc:
                    del sends[held:]  # rolled back with the payload's savepoint: nothing of it to send
                    log.warning("inbound payload %s could not be put on a case: %s", payload.pk, exc)
                    _finish(payload, InboundStatus.FAILED, InboundReason.NOT_TAKEN, error=_error(exc),
                            message=result.message)
                    outcomes["failed"] += 1
                    continue
                outcomes[outcome] += 1
        if sends:
            send_later(sends)
    return outcomes


def _finish(payload: InboundPayload, status: str, reason: str = "", *, error: str = "",
            message: InboundMessage | None = None, case: Case | None = None, stored: Message | None = None) -> None:
    payload.status, payload.reason, payload.error = status, reason, error
    payload.attempts += 1
    payload.processed_at = timezone.now()
    if message is not None:
        payload.sender, payload.subject = message.sender[:254], message.subject[:200]
    payload.case, payload.message = case, stored
    payload.save(update_fields=["status", "reason", "error", "attempts", "processed_at", "sender", "subject",
                                "case", "message"])


def _is_loop(connection: ChannelConnection, message: InboundMessage) -> bool:
    own = connection.address.strip().casefold()
    sender = (message.email or message.line_id or message.messenger_id or message.zalo_id).strip().casefold()
    return bool(own) and sender == own


def _take(payload: InboundPayload, read: _Read) -> str:
    message, connection = read.message, payload.connection
    if not message.ignore and _is_loop(connection, message):
        message = replace(message, ignore=InboundReason.LOOP)
    if message.ignore:
        case = _bounce(payload, message) if message.ignore == InboundReason.BOUNCE else None
        _finish(payload, InboundStatus.IGNORED, message.ignore, message=message, case=case)
        return "ignored"
    text = message.text.strip() or message.full_text.strip()
    if not text and not read.files.kept:
        _finish(payload, InboundStatus.IGNORED, InboundReason.EMPTY, message=message)
        return "ignored"
    at = payload.received_at
    thread = find_thread(connection, message, at)
    case = thread.case
    if case is not None and case.status != Status.CLOSED:
        return _append(payload, read, case, thread.how, text)
    return _open(payload, read, text, follows=case)


def _details(payload: InboundPayload, message: InboundMessage) -> dict[str, Any]:
    return {"external_id": message.external_id, "thread": message.thread_id, "connection_id": payload.connection_id,
            "subject": message.subject}


def _text_for(text: str, read: _Read, language: str) -> str:
    """What goes on the timeline: the customer's words (a message of files only says so), at most MAX_TEXT."""
    if not text:
        with translation.override(language):
            text = gettext("(No text: the customer sent files.)")
    return text[:MAX_TEXT]


def _event_data(payload: InboundPayload, read: _Read, how: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {"inbound": payload.pk}
    if how:
        data["threaded"] = how
    if read.message.text.strip() != read.message.full_text.strip() and read.message.full_text.strip():
        data["folded"] = True  # quoted history or a signature was folded away: the original is one click away
    if read.files.skipped:
        data["files_not_kept"] = list(read.files.skipped)
    return data


def _append(payload: InboundPayload, read: _Read, case: Case, how: str, text: str) -> str:
    at = payload.received_at
    if not case.is_open:
        cases.reopen(case, by=None, reason="customer_wrote", at=at, notification="customer_replied")
    stored = cases.receive_message(
        case, _text_for(text, read, case.language), at=at, channel=payload.channel,
        details=_details(payload, read.message), data=_event_data(payload, read, how),
    )
    if read.files.kept:
        event_id = (CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE_IN, data__inbound=payload.pk)
                    .values_list("pk", flat=True).first())
        inbound_files.save(case, event_id, read.files, at)
    _finish(payload, InboundStatus.DONE, message=read.message, case=case, stored=stored)
    return "appended"


def _open(payload: InboundPayload, read: _Read, text: str, *, follows: Case | None) -> str:
    message, connection, at = read.message, payload.connection, payload.received_at
    organisation = connection.organisation
    language = message.language_hint or organisation.default_language
    contact = cases.CustomerContact(
        name=message.sender_name[:200], email=message.email, phone=message.phone, line_id=message.line_id,
        messenger_id=message.messenger_id, zalo_id=message.zalo_id, language=message.language_hint,
    )
    case = cases.open_cases([cases.CaseRequest(
        by=None, organisation=organisation, description=_text_for(text, read, language), channel=payload.channel,
        location=connection.location, touchpoint=connection.touchpoint, category=connection.category,
        contact=contact, subject=message.subject, at=at, follows=follows, data=_event_data(payload, read),
    )])[0]
    stored = record_inbound(case, case.description, channel=payload.channel, at=at, **_details(payload, message))
    if read.files.kept:
        created = CaseEvent.objects.filter(case=case, kind=EventKind.CREATED).values_list("pk", flat=True).first()
        inbound_files.save(case, created, read.files, at)
    _, raw_token = issue_link(case, at=at)
    queue_acknowledgement(case, status_url(raw_token), email=message.email, line_id=message.line_id,
                          messenger_id=message.messenger_id, zalo_id=message.zalo_id, at=at)
    _finish(payload, InboundStatus.DONE, message=message, case=case, stored=stored)
    return "opened"


def _bounce(payload: InboundPayload, message: InboundMessage) -> Case | None:
    """A delivery failure report: the messages of ours it names are failed, on their cases' timelines."""
    ids = list(message.bounced)
    ours = [pk for pk in map(message_pk_from_id, ids) if pk is not None]
    if not ids:
        return None
    failed = list(Message.objects.filter(
        Q(external_id__in=ids) | Q(pk__in=ours), organisation_id=payload.organisation_id,
        direction=Direction.OUTBOUND,
    ).select_related("case"))
    reason = message.bounce_reason or gettext("The customer's mail server could not deliver it.")
    for sent in failed:
        mark_failed(sent, reason, payload.received_at, bounced=True)
    return failed[0].case if failed else None

