"""POST /api/v1/cases/bulk: the inbox's bulk select through the API, each case through its one-case action,
refused per case, and cases out of the token user's reach not found and left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from conftest import MONDAY_10AM
from kintsugi.accounts.models import ApiToken, Organisation, Touchpoint, User
from kintsugi.cases.models import Case, EventKind, SlaPolicy, Status
from kintsugi.cases.tests.inbox_cases import open_web
from kintsugi.recovery.testing import complete_steps

URL = "/api/v1/cases/bulk"


def post(client: Client, user: User, payload: Any) -> Any:
    _token, raw = ApiToken.issue(user)
    return client.post(URL, payload, content_type="application/json", headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def two(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> list[Case]:
    return [open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=i)) for i in range(2)]


def test_supervisor_assigns_cases_and_hears_what_was_not_found(
    client: Client, supervisor: User, agent: User, two: list[Case], bangkok_case: Case, other_case: Case
) -> None:
    outsiders = Case.objects.filter(organisation=other_case.organisation).values_list("assignee_id", flat=True)
    before = list(outsiders)
    response = post(client, supervisor, {"action": "assign", "assignee": "agent",
                                         "references": [two[0].reference, two[1].reference.lower(),
                                                        bangkok_case.reference, "K-1999-000001"]})
    assert response.status_code == 200
    assert response.json() == {
        "done": [two[0].reference, two[1].reference],
        "skipped": [{"reference": bangkok_case.reference,
                     "reason": "This person cannot work on cases at this location."}],
        "not_found": ["K-1999-000001"],
    }
    assert list(outsiders) == before
    assert Case.objects.get(pk=two[0].pk).events.filter(kind=EventKind.ASSIGNED, actor=supervisor).count() == 1


def test_a_frontline_agent_may_only_take_cases_and_only_theirs(
    client: Client, agent: User, supervisor: User, two: list[Case], bangkok_case: Case
) -> None:
    refused = post(client, agent, {"action": "assign", "assignee": "supervisor", "references": [two[0].reference]})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid"
    assert Case.objects.get(pk=two[0].pk).assignee_id is None
    response = post(client, agent, {"action": "assign", "assignee": "agent",
                                    "references": [two[0].reference, bangkok_case.reference]})
    assert response.json() == {"done": [two[0].reference], "skipped": [], "not_found": [bangkok_case.reference]}
    assert Case.objects.get(pk=bangkok_case.pk).assignee_id is None


def test_status_resolve_and_close_go_through_the_lifecycle(client: Client, agent: User, two: list[Case]) -> None:
    ready, held = two
    complete_steps(ready, by=agent)
    moved = post(client, agent, {"action": "status", "status": "in_progress",
                                 "references": [ready.reference, held.reference]})
    assert moved.json()["done"] == [ready.reference, held.reference]
    resolved = post(client, agent, {"action": "resolve", "references": [ready.reference, held.reference]})
    body = resolved.json()
    assert body["done"] == [ready.reference]
    assert [s["reference"] for s in body["skipped"]] == [held.reference]
    assert body["skipped"][0]["reason"].startswith("These playbook steps are still open: ")
    closed = post(client, agent, {"action": "close", "references": [ready.reference]})
    assert closed.json()["done"] == [ready.reference]
    assert Case.objects.get(pk=ready.pk).status == Status.CLOSED


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "assign", "references": ["K-2026-000001"]},
        {"action": "status", "references": ["K-2026-000001"]},
        {"action": "status", "status": "resolved", "references": ["K-2026-000001"]},
        {"action": "resolve", "assignee": "agent", "references": ["K-2026-000001"]},
        {"action": "resolve", "references": []},
        {"action": "resolve", "references": ["K-2026-000001"] * 101},
        {"action": "explode", "references": ["K-2026-000001"]},
        {"action": "resolve", "references": ["not a reference!"]},
    ],
)
def test_bad_requests_are_422_and_change_nothing(
    client: Client, supervisor: User, two: list[Case], payload: dict[str, Any]
) -> None:
    events = [case.events.count() for case in two]
    response = post(client, supervisor, payload)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"
    assert [case.events.count() for case in two] == events
