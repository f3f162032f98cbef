"""Step one of the inbound pipeline: every payload written as it arrived, before anything reads it, in the request
or poll that received it; a redelivery (the same connection and provider id) is a no-op. Its reading is queued
in the same transaction (the database queue) or right after it commits (the tests' immediate one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.inbound import tasks
from kintsugi.intake.models import InboundPayload, InboundStatus
from kintsugi.lib.taskqueue import enqueue_with_commit


@dataclass(frozen=True, slots=True)
class Arrival:
    """One payload as a channel received it: the provider's id of it, its bytes, the headers it came with."""

    external_id: str
    raw: bytes
    headers: dict[str, str] = field(default_factory=dict)
    received_at: datetime | None = None


def store_payloads(connection: ChannelConnection, arrivals: Sequence[Arrival], *, queue: bool = True) -> list[int]:
    """Write the payloads not stored yet for this connection; returns the new rows' ids (their reading queued,
    unless the caller queues them itself)."""
    fresh: dict[str, Arrival] = {}
    for arrival in arrivals:
        external_id = arrival.external_id.strip()[:255]
        if not external_id:
            raise ValueError("an inbound payload needs the provider's id of it")
        fresh.setdefault(external_id, arrival)
    if not fresh:
        return []
    now = timezone.now()
    with transaction.atomic():
        known = set(InboundPayload.objects.filter(connection=connection, external_id__in=list(fresh))
                    .values_list("external_id", flat=True))
        rows = [
            InboundPayload(
                organisation_id=connection.organisation_id, connection=connection, channel=connection.channel,
                external_id=external_id, raw=arrival.raw, headers=arrival.headers,
                received_at=arrival.received_at or now, queued_at=now,
            )
            for external_id, arrival in fresh.items() if external_id not in known
        ]
        if not rows:
            return []
        # A concurrent receiver storing the same payload at the same moment: the constraint keeps one row.
        InboundPayload.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(InboundPayload.objects.filter(
            connection=connection, external_id__in=[row.external_id for row in rows], status=InboundStatus.PENDING,
        ).values_list("pk", flat=True))
        if queue:
            _queue(ids)
    return ids


def store_deliveries(deliveries: Sequence[tuple[ChannelConnection, Sequence[Arrival]]]) -> list[list[int]]:
    """store_payloads for several webhook deliveries at once (the webhook view's group commit: one transaction,
    one task for the worker to read them all); each delivery's new ids."""
    with transaction.atomic():
        stored = [store_payloads(connection, arrivals, queue=False) for connection, arrivals in deliveries]
        _queue([pk for ids in stored for pk in ids])
    return stored


def _queue(ids: list[int]) -> None:
    if not ids:
        return
    enqueue_with_commit(tasks.process_inbound.enqueue, ids)


def queue_again(ids: Sequence[int]) -> None:
    """Hand these stored payloads to the worker again (a lost task, an admin's "process again")."""
    with transaction.atomic():
        _queue(list(ids))


def requeue_stale(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Hand out again the payloads still waiting INBOUND_GRACE_S after they arrived: their task was lost (the
    worker killed before it ran) or is far behind. Reading is idempotent, so a payload handed out twice is read
    once (the timer loop calls this)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.INBOUND_GRACE_S)
    ids = list(InboundPayload.objects.filter(status=InboundStatus.PENDING, queued_at__lte=cutoff)
               .order_by("queued_at").values_list("pk", flat=True)[:limit])
    # Stamped, so the next pass does not hand them out again before this task has had its chance.
    if ids:
        InboundPayload.objects.filter(pk__in=ids).update(queued_at=now)
        queue_again(ids)
    return len(ids)


def process_again(ids: Sequence[int]) -> int:
    """An admin's "process again": these payloads (a problem, or kept without a case) wait to be read once more,
    their error cleared. How many were put back."""
    now = timezone.now()
    with transaction.atomic():
        again = list(InboundPayload.objects.filter(pk__in=list(ids))
                     .exclude(status__in=[InboundStatus.PENDING, InboundStatus.DONE]).values_list("pk", flat=True))
        InboundPayload.objects.filter(pk__in=again).update(status=InboundStatus.PENDING, reason="", error="",
                                                          queued_at=now)
        _queue(again)
    return len(again)
