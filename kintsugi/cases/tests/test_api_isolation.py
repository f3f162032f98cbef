"""Who sees and changes what through the API, over the whole cast, for every endpoint.

The agent is scoped to Hà Nội, the Bangkok agent to Bangkok; supervisor, manager and admin see the whole
organisation; the outsider belongs to another organisation with its own case. A case out of reach is a 404
exactly like a missing one, and every refusal leaves the case, its timeline and the outbox as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kintsugi.accounts.models import ApiToken, Organisation, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Channel, Customer
from kintsugi.comms.models import Message
from kintsugi.recovery.testing import complete_steps

CAST = ["agent", "bangkok_agent", "supervisor", "manager", "admin_user", "outsider"]
SEES_HANOI = {"agent", "supervisor", "manager", "admin_user"}
NO_SUCH_CASE = {"error": {"code": "not_found", "message": "No such case."}}


@pytest.fixture
def target(case: Case, bangkok_case: Case, other_case: Case, supervisor: User) -> Case:
    """A Hà Nội case whose reference exists only in our organisation (the outsider's first case shares
    K-YYYY-000001 with ours), its playbook steps done so that it may be resolved."""
    found = services.open_case(
        by=None, organisation=case.organisation, touchpoint=case.touchpoint, channel=Channel.WEB,
        customer=case.customer, description="Thang máy hỏng từ sáng, khách phải đi bộ lên tầng 9.",
    )
    complete_steps(found, by=supervisor)
    return found


def bearer(user: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


def revoked(user: User) -> dict[str, str]:
    token, raw = ApiToken.issue(user)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    return {"Authorization": f"Bearer {raw}"}


def snapshot(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (
        case.status, case.assignee_id, case.updated_at, case.first_response_at,
        CaseEvent.objects.filter(case=case).count(), Message.objects.filter(case=case).count(),
        Case.objects.count(), Customer.objects.count(), CaseEvent.objects.count(),
    )


def post(client: Client, path: str, headers: dict[str, str], payload: Any) -> Any:
    return client.post(path, data=payload, content_type="application/json", headers=headers)


# --------------------------------------------------------------------------------------------- reads


@pytest.mark.parametrize("who", CAST)
def test_reading_a_case(client: Client, request: pytest.FixtureRequest, target: Case, who: str) -> None:
    headers = bearer(request.getfixturevalue(who))
    before = snapshot(target)

    case = client.get(f"/api/v1/cases/{target.reference}", headers=headers)
    events = client.get(f"/api/v1/cases/{target.reference}/events", headers=headers)

    if who in SEES_HANOI:
        assert (case.status_code, events.status_code) == (200, 200)
        assert case.json()["description"] == target.description
        assert [event["kind"] for event in events.json()["items"]] == [
            "created", "escalated", "playbook_set", *["step_done"] * 5,  # a repeat failure, its LATTE steps done
        ]
        assert events.json()["items"][0]["body"] == target.description
    else:
        assert (case.status_code, events.status_code) == (404, 404)
        assert case.json() == events.json() == NO_SUCH_CASE
    assert snapshot(target) == before


@pytest.mark.parametrize("who", CAST)
def test_listing_cases(client: Client, request: pytest.FixtureRequest, target: Case, case: Case,
                       bangkok_case: Case, other_case: Case, who: str) -> None:
    expected = {
        "agent": [target, case],
        "bangkok_agent": [bangkok_case],
        "supervisor": [target, bangkok_case, case],
        "manager": [target, bangkok_case, case],
        "admin_user": [target, bangkok_case, case],
        "outsider": [other_case],
    }[who]
    headers = bearer(request.getfixturevalue(who))

    response = client.get("/api/v1/cases", headers=headers)
    hanoi_only = client.get("/api/v1/cases?location=hanoi", headers=headers)

    assert response.status_code == 200
    assert [item["reference"] for item in response.json()["items"]] == [c.reference for c in expected]
    assert [item["description"] for item in response.json()["items"]] == [c.description for c in expected]
    assert [item["reference"] for item in hanoi_only.json()["items"]] == (
        [target.reference, case.reference] if who in SEES_HANOI else []
    )


def test_a_cursor_from_someone_else_does_not_widen_the_view(client: Client, target: Case, supervisor: User,
                                                             outsider: User, other_case: Case) -> None:
    cursor = client.get("/api/v1/cases?limit=1", headers=bearer(supervisor)).json()["next_cursor"]

    response = client.get(f"/api/v1/cases?cursor={cursor}", headers=bearer(outsider))

    assert response.status_code == 200
    assert [item["description"] for item in response.json()["items"]] == ["Our minibar was charged twice."]


def test_the_same_reference_in_another_organisation_is_their_own_case(client: Client, case: Case,
                                                                      other_case: Case, outsider: User) -> None:
    assert case.reference == other_case.reference

    response = client.get(f"/api/v1/cases/{case.reference}", headers=bearer(outsider))

    assert response.status_code == 200
    assert response.json()["description"] == "Our minibar was charged twice."
    assert response.json()["location"] == {"code": "phuket", "name": "Rival Phuket"}


@pytest.mark.parametrize("who", CAST)
def test_touchpoints(client: Client, request: pytest.FixtureRequest, front_desk: Any, bangkok_desk: Any,
                     other_location: Any, who: str) -> None:
    expected = {
        "agent": ["hn-desk"],
        "bangkok_agent": ["bkk-desk"],
        "supervisor": ["bkk-desk", "hn-desk"],
        "manager": ["bkk-desk", "hn-desk"],
        "admin_user": ["bkk-desk", "hn-desk"],
        "outsider": [],
    }[who]

    response = client.get("/api/v1/touchpoints", headers=bearer(request.getfixturevalue(who)))

    assert response.status_code == 200
    assert [item["code"] for item in response.json()["items"]] == expected


@pytest.mark.parametrize("who", CAST)
def test_me(client: Client, request: pytest.FixtureRequest, who: str) -> None:
    user: User = request.getfixturevalue(who)
    expected_locations = {
        "agent": ["hanoi"], "bangkok_agent": ["bangkok"], "outsider": ["phuket"],
    }.get(who, ["bangkok", "hanoi"])
    request.getfixturevalue("hanoi")
    request.getfixturevalue("bangkok")
    request.getfixturevalue("other_location")

    response = client.get("/api/v1/me", headers=bearer(user))

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["organisation"]["slug"] == ("rival" if who == "outsider" else "lotus-test")
    assert [location["code"] for location in body["locations"]] == expected_locations
    assert body["all_locations"] is (who not in {"agent", "bangkok_agent"})


# --------------------------------------------------------------------------------------------- writes

EVENTS = [
    ({"type": "note", "body": "Checked the lift"}, "note"),
    ({"type": "status", "status": "in_progress"}, "status_changed"),
    ({"type": "reply", "body": "Chúng tôi đang sửa thang máy."}, "message_out"),
    ({"type": "status", "status": "resolved", "body": "Fixed"}, "resolved"),
]


@pytest.mark.parametrize("who", CAST)
def test_adding_events(client: Client, request: pytest.FixtureRequest, target: Case, who: str) -> None:
    headers = bearer(request.getfixturevalue(who))
    for event, kind in EVENTS:
        before = snapshot(target)

        response = post(client, f"/api/v1/cases/{target.reference}/events", headers, event)

        if who in SEES_HANOI:
            assert response.status_code == 201
            assert response.json()["kind"] == kind
            # Resolving also schedules the follow-up (FOLLOW_UP_SCHEDULED).
            added = 2 if kind == "resolved" else 1
            assert CaseEvent.objects.filter(case=target).count() == before[4] + added
        else:
            assert response.status_code == 404
            assert response.json() == NO_SUCH_CASE
            assert snapshot(target) == before


@pytest.mark.parametrize("who", CAST)
def test_opening_a_case_in_hanoi(client: Client, request: pytest.FixtureRequest, target: Case, who: str) -> None:
    headers = bearer(request.getfixturevalue(who))
    for field, code in (("touchpoint", "hn-desk"), ("location", "hanoi")):
        before = snapshot(target)
        payload = {"description": "The lift is broken", "customer": {"email": "guest@example.com"}, field: code}

        response = post(client, "/api/v1/cases", headers, payload)

        if who in SEES_HANOI:
            assert response.status_code == 201
            assert response.json()["location"]["code"] == "hanoi"
        elif who == "bangkok_agent":
            assert response.status_code == 403
            assert response.json() == {"error": {"code": "forbidden",
                                                 "message": "You cannot open cases for this location."}}
            assert snapshot(target) == before
        else:
            assert response.status_code == 400
            assert response.json()["error"]["details"] == [
                {"field": field, "code": "invalid", "message": f"Unknown {field}."}
            ]
            assert snapshot(target) == before


def test_an_agent_opens_cases_at_their_own_location_by_default(client: Client, target: Case,
                                                               bangkok_agent: User) -> None:
    response = post(client, "/api/v1/cases", bearer(bangkok_agent),
                    {"description": "ห้องน้ำไม่มีน้ำร้อน", "customer": {"line_id": "U-new"}})

    assert response.status_code == 201
    assert response.json()["location"]["code"] == "bangkok"
    assert response.json()["language"] == "th"


# --------------------------------------------------------------------------------------------- no access at all

ENDPOINTS = [
    ("get", "/api/v1/cases", None),
    ("post", "/api/v1/cases", {"description": "x", "customer": {"name": "y"}, "location": "hanoi"}),
    ("get", "/api/v1/cases/{ref}", None),
    ("get", "/api/v1/cases/{ref}/events", None),
    ("post", "/api/v1/cases/{ref}/events", {"type": "note", "body": "x"}),
    ("post", "/api/v1/cases/{ref}/events", {"type": "status", "status": "resolved"}),
    ("get", "/api/v1/touchpoints", None),
    ("get", "/api/v1/me", None),
]


def _inactive(agent: User) -> dict[str, str]:
    headers = bearer(agent)
    User.objects.filter(pk=agent.pk).update(is_active=False)
    return headers


def _orphan(org: Organisation) -> dict[str, str]:
    user = User.objects.create_user(username="orphan", password="x", organisation=org)
    headers = bearer(user)
    User.objects.filter(pk=user.pk).update(organisation=None)
    return headers


@pytest.mark.parametrize("credentials", ["none", "revoked", "inactive", "no_organisation", "other_header"])
def test_no_valid_token_changes_nothing(client: Client, target: Case, agent: User, org: Organisation,
                                        credentials: str) -> None:
    make: dict[str, Callable[[], dict[str, str]]] = {
        "none": lambda: {},
        "revoked": lambda: revoked(agent),
        "inactive": lambda: _inactive(agent),
        "no_organisation": lambda: _orphan(org),
        "other_header": lambda: {"X-Api-Token": bearer(agent)["Authorization"].split()[1]},
    }
    headers = make[credentials]()
    before = snapshot(target)
    for method, path, payload in ENDPOINTS:
        response = getattr(client, method)(path.replace("{ref}", target.reference), data=payload,
                                           content_type="application/json", headers=headers)

        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == ("unauthenticated" if credentials in {"none", "other_header"}
                                                    else "invalid_token")
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert snapshot(target) == before
