"""Writing to a case's timeline: every service appends its CaseEvent through `record`, and tells staff through
`notify` (the outbox of kintsugi.cases.hooks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import User
from kintsugi.cases import access
from kintsugi.cases.errors import NotAllowed
from kintsugi.cases.hooks import extensions, outbox
from kintsugi.cases.models import Case, CaseEvent

MAX_MESSAGE = 5_000


def now(at: datetime | None) -> datetime:
    return at if at is not None else timezone.now()


def require_view(case: Case, by: User | None) -> None:
    if by is not None and not access.can_view_case(by, case):
        raise NotAllowed(_("You do not have access to this case."))


def save(case: Case, at: datetime, *fields: str) -> None:
    case.updated_at = at
    case.save(update_fields=[*fields, "updated_at"])


@dataclass(frozen=True, slots=True)
class Entry:
    """One event to append to a case's timeline (record_many)."""

    case: Case
    kind: str
    by: User | None
    at: datetime
    body: str = ""
    visible: bool = False
    data: dict[str, Any] = field(default_factory=dict)


def record_many(entries: Sequence[Entry]) -> list[CaseEvent]:
    """Append these events to their cases' timelines, in order and in one insert; the apps built on the core act
    before and after each of them (hooks)."""
    for entry in entries:
        for extension in extensions():
            extension.before_event(entry.case, entry.kind, entry.at)
    events = CaseEvent.objects.bulk_create([
        CaseEvent(case=entry.case, organisation_id=entry.case.organisation_id, kind=entry.kind, actor=entry.by,
                  is_customer_visible=entry.visible, body=entry.body, data=entry.data, created_at=entry.at)
        for entry in entries
    ])
    for entry in entries:
        for extension in extensions():
            extension.after_event(entry.case, entry.kind, entry.at)
    return events


def record(
    case: Case,
    kind: str,
    *,
    by: User | None,
    at: datetime,
    body: str = "",
    visible: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one event to the case's timeline: record_many for one."""
    return record_many([Entry(case, kind, by, at, body, visible, data or {})])[0]


def record_event(
    case: Case,
    kind: str,
    *,
    by: User | None,
    at: datetime | None = None,
    body: str = "",
    visible: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one event to the case's timeline; for the services of other apps (recovery, remedies), which check
    permission and invariants themselves and call this inside their own transaction."""
    at = now(at)
    case.updated_at = at
    Case.objects.filter(pk=case.pk).update(updated_at=at)
    return record(case, kind, by=by, at=at, body=body, visible=visible, data=data)


def notify(
    recipients: Sequence[User | int],
    kind: str,
    case: Case,
    *,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    """Tell these staff members (users or user ids, each told once) something of `kind` about the case."""
    outbox().notify(recipients, kind, case, at=at, data=data)


def notify_many(items: Sequence[tuple[Sequence[User | int], str, Case, datetime, dict[str, Any] | None]]) -> None:
    """notify() for several (recipients, kind, case, at, data) at once."""
    if items:
        outbox().notify_many(items)
