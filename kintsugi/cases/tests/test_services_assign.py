"""acknowledge and assign: who may take a case, who may hand it to whom, and who is told."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Channel, EventKind, SlaPolicy, Status
from kintsugi.comms.models import Notification
from kintsugi.recovery.testing import complete_steps

LATER = MONDAY_10AM + timedelta(minutes=10)


@pytest.fixture
def monday_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> Case:
    """A new web case at the Hà Nội front desk, opened Monday 10:00."""
    return services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              description="Phòng 305 chưa được dọn.", at=MONDAY_10AM)


def snapshot(case: Case) -> dict[str, Any]:
    case.refresh_from_db()
    return {
        "status": case.status, "assignee": case.assignee_id, "acknowledged_at": case.acknowledged_at,
        "updated_at": case.updated_at, "events": case.events.count(),
        "notifications": Notification.objects.count(),
    }


# ------------------------------------------------------------------------------------------ acknowledge


def test_acknowledging_takes_the_case(monday_case: Case, agent: User) -> None:
    services.acknowledge(monday_case, by=agent, at=LATER)

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.assignee, monday_case.acknowledged_at) == (
        Status.ACKNOWLEDGED, agent, LATER
    )
    # Acknowledging is not an answer: the first-response clock keeps running.
    assert monday_case.first_response_at is None
    event = monday_case.events.get(kind=EventKind.ACKNOWLEDGED)
    assert (event.actor, event.created_at, event.is_customer_visible, event.data) == (
        agent, LATER, True, {"from": "new"}
    )
    assert Notification.objects.count() == 0


def test_acknowledging_keeps_an_existing_assignee(monday_case: Case, agent: User, supervisor: User) -> None:
    services.assign(monday_case, agent, by=supervisor, at=MONDAY_10AM)

    services.acknowledge(monday_case, by=supervisor, at=LATER)

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.assignee) == (Status.ACKNOWLEDGED, agent)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("agent", True), ("bangkok_agent", False), ("supervisor", True), ("manager", True), ("admin", True),
     ("outsider", False)],
)
def test_who_may_acknowledge_a_hanoi_case(monday_case: Case, staff_cast: dict[str, User], who: str,
                                          allowed: bool) -> None:
    user = staff_cast[who]
    before = snapshot(monday_case)

    if allowed:
        services.acknowledge(monday_case, by=user, at=LATER)
        assert snapshot(monday_case)["status"] == Status.ACKNOWLEDGED
    else:
        with pytest.raises(services.NotAllowed):
            services.acknowledge(monday_case, by=user, at=LATER)
        assert snapshot(monday_case) == before


def test_a_case_in_progress_cannot_be_acknowledged(monday_case: Case, agent: User) -> None:
    services.change_status(monday_case, Status.IN_PROGRESS, by=agent, at=MONDAY_10AM)
    before = snapshot(monday_case)

    with pytest.raises(services.InvalidTransition):
        services.acknowledge(monday_case, by=agent, at=LATER)

    assert snapshot(monday_case) == before


def test_a_reopened_case_can_be_acknowledged_again(monday_case: Case, agent: User) -> None:
    services.acknowledge(monday_case, by=agent, at=MONDAY_10AM)
    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, at=MONDAY_10AM + timedelta(minutes=1))
    services.reopen(monday_case, by=agent, at=MONDAY_10AM + timedelta(minutes=2))

    services.acknowledge(monday_case, by=agent, at=LATER)

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.acknowledged_at) == (Status.ACKNOWLEDGED, MONDAY_10AM)


# ------------------------------------------------------------------------------------------ assign


def test_frontline_agent_takes_a_case(monday_case: Case, agent: User) -> None:
    services.assign(monday_case, agent, by=agent, at=LATER)

    monday_case.refresh_from_db()
    assert monday_case.assignee == agent
    event = monday_case.events.get(kind=EventKind.ASSIGNED)
    assert (event.actor, event.data) == (agent, {"from": None, "to": agent.pk, "to_name": "Linh"})
    assert Notification.objects.count() == 0  # nobody needs telling that they took a case themselves


@pytest.mark.parametrize("target", ["supervisor", "manager", "bangkok_agent", "outsider"])
def test_frontline_agent_cannot_assign_to_anyone_else(monday_case: Case, staff_cast: dict[str, User],
                                                      target: str) -> None:
    before = snapshot(monday_case)

    with pytest.raises(services.NotAllowed):
        services.assign(monday_case, staff_cast[target], by=staff_cast["agent"], at=LATER)

    assert snapshot(monday_case) == before


def test_supervisor_assigns_and_the_assignee_is_told(monday_case: Case, agent: User, supervisor: User) -> None:
    services.assign(monday_case, agent, by=supervisor, at=LATER)

    monday_case.refresh_from_db()
    assert monday_case.assignee == agent
    note = Notification.objects.get()
    assert (note.user, note.case, note.kind, note.data, note.created_at) == (
        agent, monday_case, "assigned", {"by": "Minh"}, LATER
    )
    event = monday_case.events.get(kind=EventKind.ASSIGNED)
    assert (event.actor, event.data) == (supervisor, {"from": None, "to": agent.pk, "to_name": "Linh"})


@pytest.mark.parametrize(
    ("target", "allowed"),
    [("agent", True), ("bangkok_agent", False), ("supervisor", True), ("manager", True), ("admin", True),
     ("outsider", False)],
)
def test_supervisor_assigns_only_to_staff_who_can_see_the_location(
    monday_case: Case, staff_cast: dict[str, User], target: str, allowed: bool
) -> None:
    supervisor, assignee = staff_cast["supervisor"], staff_cast[target]
    before = snapshot(monday_case)

    if allowed:
        services.assign(monday_case, assignee, by=supervisor, at=LATER)
        assert snapshot(monday_case)["assignee"] == assignee.pk
    else:
        with pytest.raises(services.InvalidInput, match="cannot work on cases at this location"):
            services.assign(monday_case, assignee, by=supervisor, at=LATER)
        assert snapshot(monday_case) == before


def test_an_inactive_colleague_cannot_be_assigned(monday_case: Case, agent: User, supervisor: User) -> None:
    agent.is_active = False
    agent.save()
    before = snapshot(monday_case)

    with pytest.raises(services.InvalidInput):
        services.assign(monday_case, agent, by=supervisor, at=LATER)

    assert snapshot(monday_case) == before


def test_supervisor_reassigns_and_unassigns(monday_case: Case, agent: User, supervisor: User,
                                            manager: User) -> None:
    services.assign(monday_case, agent, by=supervisor, at=MONDAY_10AM)
    services.assign(monday_case, manager, by=supervisor, at=LATER)
    services.assign(monday_case, None, by=supervisor, at=LATER + timedelta(minutes=1))

    monday_case.refresh_from_db()
    assert monday_case.assignee is None
    assert list(monday_case.events.filter(kind=EventKind.ASSIGNED).values_list("data", flat=True)) == [
        {"from": None, "to": agent.pk, "to_name": "Linh"},
        {"from": agent.pk, "to": manager.pk, "to_name": "Anh"},
        {"from": manager.pk, "to": None, "to_name": ""},
    ]
    assert sorted(Notification.objects.values_list("user__username", "kind")) == [
        ("agent", "assigned"), ("manager", "assigned"),
    ]


def test_assigning_the_current_assignee_again_changes_nothing(monday_case: Case, agent: User,
                                                              supervisor: User) -> None:
    services.assign(monday_case, agent, by=supervisor, at=MONDAY_10AM)
    before = snapshot(monday_case)

    services.assign(monday_case, agent, by=supervisor, at=LATER)

    assert snapshot(monday_case) == before


def test_frontline_agent_lets_go_of_their_own_case_only(monday_case: Case, agent: User, supervisor: User) -> None:
    services.assign(monday_case, supervisor, by=supervisor, at=MONDAY_10AM)
    before = snapshot(monday_case)

    with pytest.raises(services.NotAllowed):
        services.assign(monday_case, None, by=agent, at=LATER)
    assert snapshot(monday_case) == before

    services.assign(monday_case, agent, by=agent, at=LATER)  # taking it over is allowed
    services.assign(monday_case, None, by=agent, at=LATER)
    assert snapshot(monday_case)["assignee"] is None
    assert CaseEvent.objects.filter(case=monday_case, kind=EventKind.ASSIGNED).count() == 3
