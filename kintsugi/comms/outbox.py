"""The outbox the case core reaches people through (kintsugi.cases.hooks.Outbox): staff notifications, messages to
and from the customer, retries and delivery states, each handed to this app's services."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case
from kintsugi.comms.models import Message
from kintsugi.comms.notifications import notify, notify_many
from kintsugi.comms.services import queue_outbound, record_inbound, requeue_due_messages


class CommsOutbox:
    """kintsugi.comms as the core's outbox; installed by CommsConfig.ready()."""

    def notify(
        self,
        recipients: Sequence[User | int],
        kind: str,
        case: Case | None,
        *,
        at: datetime,
        data: dict[str, Any] | None = None,
    ) -> None:
        notify(list(recipients), kind, case, at=at, data=data)

    def notify_many(
        self, items: Sequence[tuple[Sequence[User | int], str, Case, datetime, dict[str, Any] | None]]
    ) -> None:
        notify_many([(list(recipients), kind, case, at, data) for recipients, kind, case, at, data in items])

    def send(self, case: Case, body: str, *, by: User | None, at: datetime) -> Message:
        return queue_outbound(case, body, by=by, at=at)

    def receive(self, case: Case, body: str, *, channel: str, at: datetime,
                details: Mapping[str, Any] | None = None) -> Message:
        return record_inbound(case, body, channel=channel, at=at, **(details or {}))

    def requeue_due(self) -> int:
        return requeue_due_messages()

    def delivery_states(self, message_ids: Collection[int]) -> dict[int, str]:
        return dict(Message.objects.filter(pk__in=list(message_ids)).values_list("id", "status"))
