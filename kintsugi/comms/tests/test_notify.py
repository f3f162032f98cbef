"""notify and mark_notifications_read: each recipient told once, each user reads only their own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, User
from kintsugi.cases.models import Case
from kintsugi.comms.models import Notification
from kintsugi.comms.services import mark_notifications_read, notify


def test_each_recipient_is_told_once(case: Case, agent: User, supervisor: User) -> None:
    created = notify([agent, agent.pk, supervisor, str(supervisor.pk), agent], "escalated", case, at=MONDAY_10AM,
                     data={"reason": "manual"})

    assert created == 2
    rows = Notification.objects.values_list("user__username", "case", "kind", "data", "created_at", "read_at")
    assert sorted(rows) == [
        ("agent", case.pk, "escalated", {"reason": "manual"}, MONDAY_10AM, None),
        ("supervisor", case.pk, "escalated", {"reason": "manual"}, MONDAY_10AM, None),
    ]
    assert set(Notification.objects.values_list("organisation", flat=True)) == {case.organisation_id}


def test_nobody_to_tell_creates_nothing(case: Case) -> None:
    assert notify([], "escalated", case) == 0
    assert Notification.objects.count() == 0


def test_a_notification_without_a_case_belongs_to_the_users_organisation(
    org: Organisation, other_org: Organisation, agent: User, outsider: User
) -> None:
    assert notify([agent, outsider], "assigned", None, at=MONDAY_10AM) == 2

    rows: list[tuple[Any, ...]] = sorted(Notification.objects.values_list("user__username", "organisation", "case"))
    assert rows == [
        ("agent", org.pk, None), ("outsider", other_org.pk, None),
    ]


def test_users_mark_only_their_own_notifications_read(case: Case, agent: User, supervisor: User) -> None:
    notify([agent, supervisor], "escalated", case, at=MONDAY_10AM)
    notify([agent], "assigned", case, at=MONDAY_10AM)
    first = Notification.objects.get(user=agent, kind="escalated")
    read_at = MONDAY_10AM + timedelta(minutes=5)

    assert mark_notifications_read(agent, ids=[first.pk, Notification.objects.get(user=supervisor).pk],
                                   at=read_at) == 1
    assert mark_notifications_read(agent, at=read_at) == 1
    assert mark_notifications_read(agent, at=read_at) == 0

    assert sorted(Notification.objects.values_list("user__username", "kind", "read_at")) == [
        ("agent", "assigned", read_at), ("agent", "escalated", read_at), ("supervisor", "escalated", None),
    ]
