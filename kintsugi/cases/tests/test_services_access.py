"""Every service that acts on a case refuses staff who cannot see it, and leaves everything as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from conftest import MONDAY_10AM, make_staff
from kintsugi.accounts.models import Location, Organisation, Role, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Category, Channel, SlaPolicy, Status, Timer
from kintsugi.comms.models import Message, Notification
from kintsugi.recovery.testing import complete_steps

LATER = MONDAY_10AM + timedelta(minutes=30)


def _resolve(case: Case, by: User) -> Case:
    complete_steps(case, by=by)  # the playbook's steps, done by the same person (refused the same way)
    return services.resolve(case, by=by, summary="Cleaned.", at=LATER)

Action = Callable[[Case, User, dict[str, Any]], object]

ACTIONS: dict[str, Action] = {
    "acknowledge": lambda case, by, cast: services.acknowledge(case, by=by, at=LATER),
    "assign_self": lambda case, by, cast: services.assign(case, by, by=by, at=LATER),
    "assign_agent": lambda case, by, cast: services.assign(case, cast["agent"], by=by, at=LATER),
    "unassign": lambda case, by, cast: services.assign(case, None, by=by, at=LATER),
    "add_note": lambda case, by, cast: services.add_note(case, "Checked the room.", by=by, at=LATER),
    "reply": lambda case, by, cast: services.reply(case, "We are sorry.", by=by, at=LATER),
    "in_progress": lambda case, by, cast: services.change_status(case, Status.IN_PROGRESS, by=by, at=LATER),
    "awaiting": lambda case, by, cast: services.change_status(case, Status.AWAITING_CUSTOMER, by=by, at=LATER),
    "resolve": lambda case, by, cast: _resolve(case, by),
    "close": lambda case, by, cast: services.close_case(case, by=by, at=LATER),
    "reopen": lambda case, by, cast: services.reopen(case, by=by, reason="Still dirty.", at=LATER),
    "escalate": lambda case, by, cast: services.escalate(case, by=by, reason="VIP guest.", at=LATER),
    "update_details": lambda case, by, cast: services.update_details(case, by=by, severity=4,
                                                                   category=cast["billing"], at=LATER),
}
# The state each action needs to be valid for someone who may see the case.
NEEDS_RESOLVED = {"close", "reopen"}


@pytest.fixture
def monday_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, en_customer: Any,
                agent: User, supervisor: User, hanoi: Location) -> Case:
    """A Hà Nội web case, held by a colleague who is not part of the cast below."""
    night_agent = make_staff(org, "night_agent", Role.FRONTLINE, locations=[hanoi])
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              customer=en_customer, description="The room was not cleaned.", at=MONDAY_10AM)
    services.assign(case, night_agent, by=night_agent, at=MONDAY_10AM)
    return case


def snapshot(case: Case) -> dict[str, Any]:
    row = Case.objects.filter(pk=case.pk).values().get()
    return {
        "case": row,
        "events": CaseEvent.objects.count(),
        "timers": list(Timer.objects.order_by("pk").values_list("kind", "state", "due_at")),
        "messages": Message.objects.count(),
        "notifications": Notification.objects.count(),
    }


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", ["bangkok_agent", "outsider"])
def test_staff_who_cannot_see_the_case_are_refused_everything(
    monday_case: Case, staff_cast: dict[str, User], billing: Category, supervisor: User, action: str, who: str
) -> None:
    if action in NEEDS_RESOLVED:
        complete_steps(monday_case, by=supervisor)
        services.resolve(monday_case, by=supervisor, at=MONDAY_10AM + timedelta(minutes=1))
    before = snapshot(monday_case)

    with pytest.raises(services.NotAllowed):
        ACTIONS[action](monday_case, staff_cast[who], {**staff_cast, "billing": billing})

    assert snapshot(monday_case) == before


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", ["agent", "supervisor", "manager", "admin"])
def test_staff_who_can_see_the_case_may_act_on_it(
    monday_case: Case, staff_cast: dict[str, User], billing: Category, supervisor: User, action: str, who: str
) -> None:
    """The same calls succeed for everyone in scope, so the refusals above are about scope alone; the one
    exception is a frontline agent letting go of a colleague's case."""
    if action in NEEDS_RESOLVED:
        complete_steps(monday_case, by=supervisor)
        services.resolve(monday_case, by=supervisor, at=MONDAY_10AM + timedelta(minutes=1))
    before = snapshot(monday_case)

    if (who, action) == ("agent", "unassign"):
        with pytest.raises(services.NotAllowed):
            ACTIONS[action](monday_case, staff_cast[who], {**staff_cast, "billing": billing})
        assert snapshot(monday_case) == before
    else:
        ACTIONS[action](monday_case, staff_cast[who], {**staff_cast, "billing": billing})
        assert snapshot(monday_case) != before
