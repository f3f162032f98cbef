"""POST /api/v1/cases/{reference}/apology: the same service as the page, the same refusals, the same isolation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent
from kintsugi.comms.models import Message

from .conftest import bearer


def post(client: Client, case: Case, headers: dict[str, str], payload: Any) -> Any:
    return client.post(f"/api/v1/cases/{case.reference}/apology", data=payload, content_type="application/json",
                       headers=headers)


def _counts(case: Case) -> tuple[int, int]:
    return CaseEvent.objects.filter(case=case).count(), Message.objects.filter(case=case).count()


def test_the_apology_is_sent_and_answered_as_its_timeline_event(
    client: Client, case: Case, agent: User, vi_parts: dict[str, str]
) -> None:
    response = post(client, case, bearer(agent), {"parts": vi_parts})
    body = response.json()
    assert response.status_code == 201
    assert body["kind"] == "apology_sent"
    assert body["body"] == "\n\n".join(vi_parts.values())
    assert body["is_customer_visible"] is True
    assert body["actor"]["username"] == "agent"
    assert body["data"]["parts"] == ["restore", "responsibility", "explanation", "prevention", "regret"]
    assert body["data"]["warnings"] == 0
    assert isinstance(body["data"]["seconds_since_complaint"], int)
    assert Message.objects.get(case=case).language == "vi"


def test_a_missing_part_is_400_and_nothing_is_sent(client: Client, case: Case, agent: User,
                                                    vi_parts: dict[str, str]) -> None:
    del vi_parts["regret"]
    before = _counts(case)
    response = post(client, case, bearer(agent), {"parts": vi_parts})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "Missing: Regret for the impact." in response.json()["error"]["message"]
    assert _counts(case) == before


@pytest.mark.parametrize("payload", [{}, {"parts": {"restore": "x", "tone": "y"}}, {"parts": "all of it"},
                                     {"parts": {"restore": "x" * 2001}}])
def test_bad_input_is_422(client: Client, case: Case, agent: User, payload: Any) -> None:
    before = _counts(case)
    assert post(client, case, bearer(agent), payload).status_code == 422
    assert _counts(case) == before


@pytest.mark.parametrize("who", ["bangkok_agent", "outsider"])
def test_a_case_out_of_reach_is_404_and_nothing_changes(
    client: Client, case: Case, who: str, request: pytest.FixtureRequest, vi_parts: dict[str, str]
) -> None:
    before = _counts(case)
    response = post(client, case, bearer(request.getfixturevalue(who)), {"parts": vi_parts})
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "No such case."}}
    assert _counts(case) == before


def test_without_a_token_it_is_401(client: Client, case: Case, vi_parts: dict[str, str]) -> None:
    before = _counts(case)
    assert post(client, case, {}, {"parts": vi_parts}).status_code == 401
    assert _counts(case) == before
