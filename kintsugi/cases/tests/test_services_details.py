"""add_note and update_details: internal notes stay internal; every correction of the classification is recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Category, Channel, EventKind, FailureType, SlaPolicy

LATER = MONDAY_10AM + timedelta(minutes=15)


@pytest.fixture
def monday_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, rooms: Category) -> Case:
    return services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB, category=rooms,
                              description="The room was not cleaned.", at=MONDAY_10AM)


def snapshot(case: Case) -> dict[str, Any]:
    case.refresh_from_db()
    return {"category": case.category_id, "severity": case.severity, "failure_type": case.failure_type,
            "updated_at": case.updated_at, "events": case.events.count()}


def test_a_note_is_for_staff_only(monday_case: Case, agent: User) -> None:
    event = services.add_note(monday_case, "  Housekeeping skipped 305 twice this week. ", by=agent, at=LATER)

    assert (event.kind, event.actor, event.body, event.is_customer_visible, event.created_at) == (
        EventKind.NOTE, agent, "Housekeeping skipped 305 twice this week.", False, LATER
    )
    monday_case.refresh_from_db()
    assert (monday_case.updated_at, monday_case.status, monday_case.first_response_at) == (LATER, "new", None)


@pytest.mark.parametrize("body", ["", "  ", "x" * (services.MAX_MESSAGE + 1)])
def test_an_empty_or_overlong_note_is_refused(monday_case: Case, agent: User, body: str) -> None:
    before = snapshot(monday_case)

    with pytest.raises(services.InvalidInput):
        services.add_note(monday_case, body, by=agent, at=LATER)

    assert snapshot(monday_case) == before


def test_corrections_are_recorded_with_old_and_new_values(monday_case: Case, agent: User, rooms: Category,
                                                          billing: Category) -> None:
    services.update_details(monday_case, by=agent, category=billing, severity=4,
                            failure_type=FailureType.MONETARY, at=LATER)

    assert snapshot(monday_case) == {"category": billing.pk, "severity": 4, "failure_type": "monetary",
                                     "updated_at": LATER, "events": 2}
    event = monday_case.events.get(kind=EventKind.UPDATED)
    assert (event.actor, event.is_customer_visible, event.data) == (agent, False, {
        "category": [rooms.pk, billing.pk], "severity": [3, 4], "failure_type": ["service_process", "monetary"],
    })


def test_unchanged_details_record_nothing(monday_case: Case, agent: User, rooms: Category) -> None:
    before = snapshot(monday_case)

    services.update_details(monday_case, by=agent, category=rooms, severity=3, at=LATER)

    assert snapshot(monday_case) == before


@pytest.mark.parametrize(
    "change",
    [{"severity": 0}, {"severity": 6}, {"failure_type": "cosmic"}, {"category": "other_category"}],
)
def test_invalid_corrections_are_refused(monday_case: Case, agent: User, other_org: Organisation,
                                         change: dict[str, Any]) -> None:
    if change.get("category") == "other_category":
        change = {"category": Category.objects.create(organisation=other_org, code="rooms", name="Rooms")}
    before = snapshot(monday_case)

    with pytest.raises(services.InvalidInput):
        services.update_details(monday_case, by=agent, at=LATER, **change)

    assert snapshot(monday_case) == before
