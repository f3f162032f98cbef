"""escalate: the priority goes up a level (and stays at urgent), the supervisors are told, a reason is required."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel, EventKind, Priority, SlaPolicy
from kintsugi.comms.models import Notification
from kintsugi.recovery.testing import complete_steps

STEP = timedelta(minutes=1)


@pytest.fixture
def monday_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> Case:
    return services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              description="The room was not cleaned.", at=MONDAY_10AM)


def snapshot(case: Case) -> dict[str, Any]:
    case.refresh_from_db()
    return {"priority": case.priority, "updated_at": case.updated_at, "events": case.events.count(),
            "notifications": Notification.objects.count()}


def test_priority_climbs_to_urgent_and_stays_there(monday_case: Case, agent: User, supervisor: User,
                                                   manager: User) -> None:
    priorities = []
    for n in range(3):
        services.escalate(monday_case, by=agent, reason=f"Guest still waiting ({n + 1}).", at=MONDAY_10AM + n * STEP)
        monday_case.refresh_from_db()
        priorities.append(monday_case.priority)

    assert priorities == [Priority.HIGH, Priority.URGENT, Priority.URGENT]
    events = monday_case.events.filter(kind=EventKind.ESCALATED)
    assert list(events.values_list("actor__username", "body", "data")) == [
        ("agent", "Guest still waiting (1).", {"reason": "manual", "from": "normal", "to": "high"}),
        ("agent", "Guest still waiting (2).", {"reason": "manual", "from": "high", "to": "urgent"}),
        ("agent", "Guest still waiting (3).", {"reason": "manual", "from": "urgent", "to": "urgent"}),
    ]


def test_supervisors_are_told(monday_case: Case, agent: User, bangkok_agent: User, supervisor: User,
                              manager: User, admin_user: User, outsider: User) -> None:
    services.escalate(monday_case, by=agent, reason="Guest is a travel journalist.", at=MONDAY_10AM)

    notes = Notification.objects.values_list("user__username", "kind", "case", "data", "created_at")
    assert sorted(notes) == [
        ("manager", "escalated", monday_case.pk, {"reason": "manual"}, MONDAY_10AM),
        ("supervisor", "escalated", monday_case.pk, {"reason": "manual"}, MONDAY_10AM),
    ]


def test_a_supervisor_escalating_is_not_told_themselves(monday_case: Case, supervisor: User,
                                                        manager: User) -> None:
    services.escalate(monday_case, by=supervisor, reason="Needs the manager.", at=MONDAY_10AM)

    assert list(Notification.objects.values_list("user__username", flat=True)) == ["manager"]


def test_a_supervisor_limited_to_bangkok_is_not_told_about_hanoi(
    monday_case: Case, agent: User, supervisor: User, bangkok: Any
) -> None:
    supervisor.locations.set([bangkok])

    services.escalate(monday_case, by=agent, reason="Guest is upset.", at=MONDAY_10AM)

    assert Notification.objects.count() == 0


@pytest.mark.parametrize("reason", ["", "   \n\t"])
def test_a_reason_is_required(monday_case: Case, agent: User, supervisor: User, reason: str) -> None:
    before = snapshot(monday_case)

    with pytest.raises(services.InvalidInput):
        services.escalate(monday_case, by=agent, reason=reason, at=MONDAY_10AM + STEP)

    assert snapshot(monday_case) == before


@pytest.mark.parametrize("closed", [False, True])
def test_a_resolved_or_closed_case_cannot_be_escalated(monday_case: Case, agent: User, supervisor: User,
                                                       closed: bool) -> None:
    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, at=MONDAY_10AM)
    if closed:
        services.close_case(monday_case, by=agent, at=MONDAY_10AM)
    before = snapshot(monday_case)

    with pytest.raises(services.InvalidTransition):
        services.escalate(monday_case, by=agent, reason="Too late.", at=MONDAY_10AM + STEP)

    assert snapshot(monday_case) == before


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("agent", True), ("bangkok_agent", False), ("supervisor", True), ("manager", True), ("admin", True),
     ("outsider", False)],
)
def test_who_may_escalate_a_hanoi_case(monday_case: Case, staff_cast: dict[str, User], who: str,
                                       allowed: bool) -> None:
    before = snapshot(monday_case)

    if allowed:
        services.escalate(monday_case, by=staff_cast[who], reason="Help.", at=MONDAY_10AM + STEP)
        assert snapshot(monday_case)["priority"] == Priority.HIGH
    else:
        with pytest.raises(services.NotAllowed):
            services.escalate(monday_case, by=staff_cast[who], reason="Help.", at=MONDAY_10AM + STEP)
        assert snapshot(monday_case) == before
