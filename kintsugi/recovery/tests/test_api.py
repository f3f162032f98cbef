"""GET /api/v1/playbooks and POST /api/v1/cases/{reference}/resolve: the playbook rule's 409 with its steps,
the override, and isolation between organisations."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kintsugi.accounts.models import ApiToken, User
from kintsugi.cases.models import Case, EventKind, Status
from kintsugi.recovery.api import PlaybookList
from kintsugi.recovery.testing import complete_steps


def bearer(user: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


def resolve(client: Client, user: User, case: Case, payload: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/cases/{case.reference}/resolve", data=payload, content_type="application/json",
                       headers=bearer(user))


def test_the_playbooks_with_their_steps_in_three_languages(client: Client, agent: User) -> None:
    response = client.get("/api/v1/playbooks", headers=bearer(agent))

    assert response.status_code == 200
    body = response.json()
    PlaybookList.model_validate(body)
    assert [(p["code"], p["is_default"], len(p["steps"])) for p in body["items"]] == [
        ("heart", False, 6), ("latte", True, 5), ("learn", False, 5)]
    first = body["items"][1]["steps"][0]
    assert (first["code"], first["name"], first["completes_on"], first["target_minutes"]) == (
        "listen", {"en": "Listen", "vi": "Lắng nghe", "th": "รับฟัง"}, "manual", 30)
    assert first["phrases"]["th"][0] == "รบกวนเล่าให้ฟังหน่อยนะคะว่าเกิดอะไรขึ้น ดิฉันกำลังฟังอยู่ค่ะ"


def test_each_organisation_lists_only_its_own_playbooks(client: Client, agent: User, outsider: User) -> None:
    client.get("/api/v1/playbooks", headers=bearer(agent))
    response = client.get("/api/v1/playbooks", headers=bearer(outsider))

    from kintsugi.recovery.models import Playbook

    assert len(response.json()["items"]) == 3
    assert Playbook.objects.filter(organisation=outsider.organisation).count() == 3
    assert Playbook.objects.count() == 6


def test_without_a_token_the_playbooks_are_401(client: Client) -> None:
    assert client.get("/api/v1/playbooks").status_code == 401


def test_resolving_with_open_steps_answers_409_with_the_steps(client: Client, agent: User, case: Case) -> None:
    response = resolve(client, agent, case, {"summary": "Done"})

    assert response.status_code == 409
    assert response.json() == {"error": {
        "code": "playbook_steps_open",
        "message": "These playbook steps are still open: Listen, Acknowledge, Take action, Thank, Explain.",
        "steps": [{"code": "listen", "name": "Listen"}, {"code": "acknowledge", "name": "Acknowledge"},
                  {"code": "take_action", "name": "Take action"}, {"code": "thank", "name": "Thank"},
                  {"code": "explain", "name": "Explain"}],
    }}
    case.refresh_from_db()
    assert (case.status, case.events.count()) == (Status.NEW, 1)  # nothing kept, not even the binding


def test_frontline_override_is_403_and_changes_nothing(client: Client, agent: User, case: Case) -> None:
    response = resolve(client, agent, case, {"override_reason": "Guest left"})

    assert (response.status_code, response.json()["error"]["code"]) == (403, "forbidden")
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_a_supervisor_overrides_with_a_reason(client: Client, supervisor: User, case: Case) -> None:
    response = resolve(client, supervisor, case, {"summary": "Moved rooms", "override_reason": "Guest checked out"})

    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    assert case.events.get(kind=EventKind.STEP_OVERRIDE).body == "Guest checked out"


def test_with_the_steps_done_the_case_resolves(client: Client, agent: User, case: Case) -> None:
    complete_steps(case, by=agent)

    response = resolve(client, agent, case, {"summary": "Cleaned"})

    assert (response.status_code, response.json()["status"]) == (200, "resolved")


@pytest.mark.parametrize("who", ["bangkok_agent", "outsider"])
def test_a_case_out_of_reach_is_404_and_unchanged(client: Client, staff_cast: dict[str, User], case: Case,
                                                  who: str) -> None:
    response = resolve(client, staff_cast[who], case, {"override_reason": "x"})

    assert response.status_code == 404
    case.refresh_from_db()
    assert (case.status, case.events.count()) == (Status.NEW, 1)


@pytest.mark.parametrize("payload", [{"summary": 3}, {"override_reason": "x" * 2001}, {"nope": 1}])
def test_bad_input_is_422(client: Client, supervisor: User, case: Case, payload: dict[str, Any]) -> None:
    response = resolve(client, supervisor, case, payload)

    assert response.status_code == 422
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_a_status_change_to_resolved_gets_the_same_409(client: Client, agent: User, case: Case) -> None:
    response = client.post(f"/api/v1/cases/{case.reference}/events", content_type="application/json",
                           data={"type": "status", "status": "resolved"}, headers=bearer(agent))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "playbook_steps_open"
    assert [step["code"] for step in response.json()["error"]["steps"]] == [
        "listen", "acknowledge", "take_action", "thank", "explain"]
