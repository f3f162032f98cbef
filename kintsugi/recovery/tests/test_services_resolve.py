"""The resolve rule: refused while a required step is open, unless a supervisor or above overrides with a reason;
and the follow-up scheduled on resolving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, Category, Channel, Customer, EventKind, Status, Timer, TimerState
from kintsugi.recovery.services import StepsOpen
from kintsugi.recovery.testing import complete_steps


@pytest.fixture
def monday_case(org: Organisation, front_desk: Touchpoint, rooms: Category, vi_customer: Customer) -> Case:
    return cases.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.ZALO,
                           customer=vi_customer, category=rooms, at=MONDAY_10AM,
                           description="Phòng 305 chưa được dọn, khăn tắm bẩn.")


def state(case: Case) -> tuple[object, ...]:
    case.refresh_from_db()
    return (case.status, case.is_open, case.resolved_at, case.events.count(), Timer.objects.filter(case=case).count())


def test_resolving_with_open_steps_is_refused_and_lists_them(monday_case: Case, agent: User) -> None:
    cases.reply(monday_case, "Chúng tôi xin lỗi, nhân viên đang lên phòng.", by=agent, at=MONDAY_10AM)
    before = state(monday_case)

    with pytest.raises(StepsOpen) as refused:
        cases.resolve(monday_case, by=agent, summary="Đã dọn.", at=MONDAY_10AM + timedelta(hours=1))

    assert refused.value.status == 409
    assert refused.value.steps == [{"code": "listen", "name": "Listen"}, {"code": "take_action", "name": "Take action"},
                                   {"code": "thank", "name": "Thank"}, {"code": "explain", "name": "Explain"}]
    assert refused.value.message == "These playbook steps are still open: Listen, Take action, Thank, Explain."
    assert state(monday_case) == before


def test_frontline_cannot_override(monday_case: Case, agent: User) -> None:
    cases.reply(monday_case, "Xin lỗi Quý khách.", by=agent, at=MONDAY_10AM)
    before = state(monday_case)

    with pytest.raises(cases.NotAllowed):
        cases.resolve(monday_case, by=agent, override_reason="The guest left.", at=MONDAY_10AM + timedelta(hours=1))

    assert state(monday_case) == before


@pytest.mark.parametrize("who", ["supervisor", "manager", "admin"])
def test_supervisors_and_above_override_with_a_reason_on_the_timeline(
    monday_case: Case, staff_cast: dict[str, User], who: str,
) -> None:
    user = staff_cast[who]
    cases.resolve(monday_case, by=user, summary="Đã đổi phòng.", override_reason=" Khách đã trả phòng. ",
                  at=MONDAY_10AM + timedelta(hours=1))

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.playbook_due_at) == (Status.RESOLVED, None)
    override = monday_case.events.get(kind=EventKind.STEP_OVERRIDE)
    assert (override.actor, override.body, override.data) == (user, "Khách đã trả phòng.", {
        "steps": ["listen", "acknowledge", "take_action", "thank", "explain"],
        "names": ["Listen", "Acknowledge", "Take action", "Thank", "Explain"],
    })


def test_an_override_without_a_reason_is_still_refused(monday_case: Case, supervisor: User) -> None:
    before = state(monday_case)

    with pytest.raises(StepsOpen):
        cases.resolve(monday_case, by=supervisor, override_reason="   ", at=MONDAY_10AM)

    assert state(monday_case) == before


def test_with_every_step_done_anyone_on_the_case_resolves_and_the_follow_up_is_scheduled(
    monday_case: Case, agent: User,
) -> None:
    complete_steps(monday_case, by=agent)
    # Wednesday 15:00 in Hà Nội: three days later is a Saturday, so the follow-up waits for Monday 08:00.
    wednesday = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)

    cases.resolve(monday_case, by=agent, summary="Đã dọn lại phòng.", at=wednesday)

    monday_case.refresh_from_db()
    assert monday_case.status == Status.RESOLVED
    assert not monday_case.events.filter(kind=EventKind.STEP_OVERRIDE).exists()
    timer = Timer.objects.get(case=monday_case, kind="follow_up")
    assert (timer.state, timer.due_at) == (TimerState.PENDING, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    scheduled = monday_case.events.get(kind=EventKind.FOLLOW_UP_SCHEDULED)
    assert scheduled.data == {"due_at": "2026-11-23T01:00:00+00:00"}


def test_a_change_of_status_to_resolved_follows_the_same_rule(monday_case: Case, agent: User) -> None:
    before = state(monday_case)

    with pytest.raises(StepsOpen):
        cases.change_status(monday_case, Status.RESOLVED, by=agent, reason="Done", at=MONDAY_10AM)

    assert state(monday_case) == before
