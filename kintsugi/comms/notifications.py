"""In-app notifications for staff: what the bell in the top bar lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case
from kintsugi.comms.models import Notification


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
                Notification(
                    organisation_id=case.organisation_id if case else _org_of(user_id),
                    user_id=user_id,
                    case=case,
                    kind=kind,
                    data=data or {},
                    created_at=at,
                )
            )
    Notification.objects.bulk_create(rows)
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
