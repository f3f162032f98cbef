"""API v1 cases: open a case with defaults, list with filters and cursors, read one, its timeline, add events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from conftest import MONDAY_10AM
from kintsugi.accounts.models import ApiToken, Location, Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Category, Channel, Customer, CustomerIdentity, SlaPolicy, Status
from kintsugi.cases.schemas import CaseOut, CasePage, EventList, EventOut
from kintsugi.comms.models import Message
from kintsugi.recovery.testing import complete_steps

VI_TEXT = "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát."
EN_TEXT = "The room was not cleaned when we arrived and the towels in the bathroom were dirty."


@pytest.fixture
def at_monday_10am(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_10AM)


def token(user: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


def post(client: Client, path: str, headers: dict[str, str], payload: Any) -> Any:
    return client.post(path, data=payload, content_type="application/json", headers=headers)


def staff_url(reference: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/cases/{reference}/"


# --------------------------------------------------------------------------------------------- POST /cases


@pytest.mark.usefixtures("at_monday_10am", "policy", "bangkok")
def test_agent_opens_a_case_with_only_a_description_and_a_customer(client: Client, agent: User,
                                                                   hanoi: Location) -> None:
    response = post(client, "/api/v1/cases", token(agent),
                    {"description": VI_TEXT, "customer": {"name": "Trần Văn An", "phone": "0987 654 321"}})

    assert response.status_code == 201
    case = Case.objects.get()
    customer = Customer.objects.get(name="Trần Văn An")
    assert response.json() == {
        "reference": "K-2026-000001",
        "status": "new",
        "priority": "normal",
        "severity": 3,
        "channel": "api",
        "language": "vi",
        "subject": "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát.",
        "description": VI_TEXT,
        "location": {"code": "hanoi", "name": "Lotus Hà Nội"},
        "touchpoint": None,
        "category": None,
        "customer": {"id": customer.pk, "name": "Trần Văn An",
                     "identities": [{"kind": "phone", "value": "+84987654321"}]},
        "assignee": None,
        "is_repeat_failure": False,
        "booking_reference": "",
        "occurred_at": None,
        "created_at": "2026-11-16T03:00:00Z",
        "first_response_at": None,
        "resolved_at": None,
        "sla": {
            "first_response_due_at": "2026-11-16T04:00:00Z",
            "resolution_due_at": "2026-11-17T02:00:00Z",
            "first_response_breached": False,
            "resolution_breached": False,
            "paused": False,
        },
        "url": staff_url("K-2026-000001"),
    }
    assert case.location == hanoi
    assert case.created_by == agent
    assert case.customer == customer
    assert list(case.events.values_list("kind", "actor__username")) == [("created", "agent")]
    CaseOut.model_validate(response.json())


@pytest.mark.usefixtures("at_monday_10am", "policy")
def test_every_optional_field_is_used(client: Client, manager: User, front_desk: Touchpoint,
                                      billing: Category) -> None:
    response = post(client, "/api/v1/cases", token(manager), {
        "description": EN_TEXT,
        "customer": {"name": "Emma Wilson", "email": " Emma@Example.com ", "line_id": "U-emma", "language": "en"},
        "location": "hanoi",
        "touchpoint": "hn-desk",
        "category": "billing",
        "severity": 5,
        "failure_type": "product",
        "language": "th",
        "channel": "email",
        "subject": "Dirty room",
    })

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in ("priority", "severity", "channel", "language", "subject", "touchpoint",
                                       "category", "location")} == {
        "priority": "high",
        "severity": 5,
        "channel": "email",
        "language": "th",
        "subject": "Dirty room",
        "touchpoint": {"code": "hn-desk", "name": "Front desk"},
        "category": {"code": "billing", "name": "Billing"},
        "location": {"code": "hanoi", "name": "Lotus Hà Nội"},
    }
    assert body["customer"]["identities"] == [
        {"kind": "email", "value": "emma@example.com"}, {"kind": "line", "value": "U-emma"},
    ]
    case = Case.objects.get()
    assert (case.failure_type, case.touchpoint, case.category) == ("product", front_desk, billing)
    assert Customer.objects.get().language == "en"


@pytest.mark.usefixtures("policy", "bangkok")
def test_the_touchpoint_sets_the_location(client: Client, supervisor: User, bangkok_desk: Touchpoint) -> None:
    response = post(client, "/api/v1/cases", token(supervisor),
                    {"description": EN_TEXT, "customer": {"name": "Emma"}, "touchpoint": "bkk-desk"})

    assert response.status_code == 201
    assert response.json()["location"] == {"code": "bangkok", "name": "Lotus Bangkok"}
    assert response.json()["touchpoint"] == {"code": "bkk-desk", "name": "Front desk"}


@pytest.mark.usefixtures("policy")
def test_the_organisations_only_location_is_the_default(client: Client, supervisor: User,
                                                       hanoi: Location) -> None:
    response = post(client, "/api/v1/cases", token(supervisor), {"description": EN_TEXT, "customer": {"name": "E"}})

    assert response.status_code == 201
    assert response.json()["location"]["code"] == "hanoi"
    assert response.json()["language"] == "en"


@pytest.mark.usefixtures("policy", "hanoi", "bangkok")
def test_a_location_is_asked_for_when_it_cannot_be_guessed(client: Client, supervisor: User) -> None:
    response = post(client, "/api/v1/cases", token(supervisor), {"description": EN_TEXT, "customer": {"name": "E"}})

    assert response.status_code == 400
    assert response.json() == {"error": {
        "code": "invalid", "message": "Please say where it happened.",
        "details": [{"field": "location", "code": "missing", "message": "Give a location code (or a touchpoint)."}],
    }}
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


@pytest.mark.usefixtures("policy", "hanoi")
def test_unknown_codes_are_field_errors(client: Client, supervisor: User) -> None:
    response = post(client, "/api/v1/cases", token(supervisor), {
        "description": EN_TEXT, "customer": {"name": "E"},
        "location": "paris", "touchpoint": "nope", "category": "rooms",
    })

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid", "message": "Unknown touchpoint.", "details": [
        {"field": "touchpoint", "code": "invalid", "message": "Unknown touchpoint."},
        {"field": "location", "code": "invalid", "message": "Unknown location."},
        {"field": "category", "code": "invalid", "message": "Unknown category."},
    ]}}
    assert Case.objects.count() == 0


@pytest.mark.usefixtures("policy", "bangkok")
def test_a_known_customer_is_found_by_any_identity(client: Client, agent: User, vi_customer: Customer) -> None:
    response = post(client, "/api/v1/cases", token(agent),
                    {"description": VI_TEXT, "customer": {"zalo_id": "zalo-hoa", "email": "hoa@example.vn"}})

    assert response.status_code == 201
    assert response.json()["customer"] == {
        "id": vi_customer.pk,
        "name": "Nguyễn Thị Hoa",
        "identities": [
            {"kind": "phone", "value": "+84912345678"},
            {"kind": "zalo", "value": "zalo-hoa"},
            {"kind": "email", "value": "hoa@example.vn"},
        ],
    }
    assert Customer.objects.count() == 1


@pytest.mark.usefixtures("policy", "bangkok")
def test_a_service_refusal_keeps_nothing(client: Client, agent: User) -> None:
    response = post(client, "/api/v1/cases", token(agent),
                    {"description": "   ", "customer": {"name": "Nobody", "email": "nobody@example.com"}})

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid", "message": "Please describe what happened."}}
    assert Customer.objects.count() == 0
    assert CustomerIdentity.objects.count() == 0


@pytest.mark.usefixtures("policy", "hanoi")
def test_opening_a_case_costs_a_fixed_number_of_queries(client: Client, supervisor: User,
                                                        django_assert_num_queries: Any) -> None:
    headers = token(supervisor)
    post(client, "/api/v1/cases", headers, {"description": EN_TEXT, "customer": {"email": "warm@example.com"}})

    # the default location (1); the customer's identities (1); customer, identity (2); reference (update, read:
    # 2), case, timers, event (3); the identities the answer shows (1). A new customer has no history to check,
    # and inside the caller's transaction open_cases takes no savepoint.
    with django_assert_num_queries(10):
        response = post(client, "/api/v1/cases", headers,
                        {"description": EN_TEXT, "customer": {"email": "new@example.com"}})
    assert response.status_code == 201


# --------------------------------------------------------------------------------------------- GET /cases


@pytest.fixture
def many(org: Organisation, hanoi: Location, bangkok: Location, policy: SlaPolicy, rooms: Category,
         vi_customer: Customer, th_customer: Customer, supervisor: User, agent: User) -> list[Case]:
    """Six cases, oldest first: Hà Nội web/phone/email (one assigned to the agent), Bangkok line x2, one resolved."""
    cases = []
    for index, (location, channel, customer, severity) in enumerate([
        (hanoi, Channel.WEB, vi_customer, 3),
        (hanoi, Channel.PHONE, vi_customer, 4),
        (bangkok, Channel.LINE, th_customer, 2),
        (hanoi, Channel.EMAIL, None, 3),
        (bangkok, Channel.LINE, th_customer, 5),
        (hanoi, Channel.WEB, vi_customer, 1),
    ]):
        cases.append(services.open_case(
            by=None, organisation=org, location=location, channel=channel, customer=customer, severity=severity,
            category=rooms if index % 2 else None, description=f"Case number {index} about the minibar",
            at=MONDAY_10AM + timedelta(minutes=index),
        ))
    services.acknowledge(cases[1], by=agent)
    complete_steps(cases[3], by=supervisor)
    services.resolve(cases[3], by=supervisor, summary="Refunded")
    return cases


def refs(response: Any) -> list[str]:
    return [item["reference"] for item in response.json()["items"]]


def test_list_is_newest_first_with_a_cursor(client: Client, supervisor: User, many: list[Case]) -> None:
    headers = token(supervisor)

    first = client.get("/api/v1/cases?limit=4", headers=headers)
    second = client.get(f"/api/v1/cases?limit=4&cursor={first.json()['next_cursor']}", headers=headers)

    assert first.status_code == 200
    assert refs(first) == [c.reference for c in reversed(many[2:])]
    assert refs(second) == [many[1].reference, many[0].reference]
    assert second.json()["next_cursor"] is None
    CasePage.model_validate(first.json())


def test_a_page_exactly_full_has_no_next_cursor(client: Client, supervisor: User, many: list[Case]) -> None:
    response = client.get("/api/v1/cases?limit=6", headers=token(supervisor))

    assert len(refs(response)) == 6
    assert response.json()["next_cursor"] is None


@pytest.mark.parametrize(("query", "indexes"), [
    ("status=resolved", [3]),
    ("status=acknowledged", [1]),
    ("location=bangkok", [4, 2]),
    ("category=rooms", [5, 3, 1]),
    ("severity=3", [3, 0]),
    ("channel=line", [4, 2]),
    ("assignee=me", [1]),
    ("assignee=none", [5, 4, 3, 2, 0]),
    ("assignee=agent", [1]),
    ("assignee=nobody-by-that-name", []),
    ("q=number 4", [4]),
    ("q=MINIBAR&location=hanoi&severity=1", [5]),
    ("location=phuket", []),
])
def test_list_filters(client: Client, agent: User, supervisor: User, many: list[Case], query: str,
                      indexes: list[int]) -> None:
    user = agent if "assignee=me" in query else supervisor

    response = client.get(f"/api/v1/cases?{query}", headers=token(user))

    assert response.status_code == 200
    assert refs(response) == [many[index].reference for index in indexes]


def test_q_finds_a_reference(client: Client, supervisor: User, many: list[Case]) -> None:
    response = client.get(f"/api/v1/cases?q={many[2].reference.lower()}", headers=token(supervisor))

    assert refs(response) == [many[2].reference]


def test_list_shows_cases_as_the_detail_does(client: Client, supervisor: User, many: list[Case]) -> None:
    headers = token(supervisor)

    listed = client.get("/api/v1/cases", headers=headers).json()["items"]

    for item in listed:
        assert client.get(f"/api/v1/cases/{item['reference']}", headers=headers).json() == item
    assert listed[4]["assignee"] == {"username": "agent", "name": "Linh"}
    assert listed[4]["status"] == "acknowledged"
    assert listed[2]["status"] == "resolved"
    assert listed[2]["resolved_at"] is not None
    assert listed[2]["customer"] is None


def test_the_list_costs_two_queries_whatever_its_length(client: Client, supervisor: User, many: list[Case],
                                                         django_assert_num_queries: Any) -> None:
    headers = token(supervisor)
    client.get("/api/v1/cases?limit=1", headers=headers)  # the token is now cached and its use recorded

    with django_assert_num_queries(2):  # the cases with their places and people; the customers' identities
        response = client.get("/api/v1/cases?limit=100", headers=headers)
    assert len(refs(response)) == 6


# --------------------------------------------------------------------------------------------- one case


def test_a_case_is_read_by_reference_in_any_case(client: Client, agent: User, case: Case) -> None:
    response = client.get(f"/api/v1/cases/{case.reference.lower()}", headers=token(agent))

    assert response.status_code == 200
    assert response.json()["reference"] == case.reference
    assert response.json()["touchpoint"] == {"code": "hn-desk", "name": "Front desk"}
    assert response.json()["category"] == {"code": "rooms", "name": "Rooms"}
    CaseOut.model_validate(response.json())


def test_the_timeline_lists_every_event_oldest_first(client: Client, agent: User, case: Case) -> None:
    services.add_note(case, "Called housekeeping", by=agent)
    services.reply(case, "Chúng tôi xin lỗi, nhân viên đang lên phòng.", by=agent)

    response = client.get(f"/api/v1/cases/{case.reference}/events", headers=token(agent))

    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["kind"], item["actor"], item["is_customer_visible"]) for item in items] == [
        ("created", None, True),
        ("note", {"username": "agent", "name": "Linh"}, False),
        ("playbook_set", None, False),  # bound by the first event that can complete a playbook step
        ("message_out", {"username": "agent", "name": "Linh"}, True),
    ]
    assert items[1]["body"] == "Called housekeeping"
    EventList.model_validate(response.json())


# --------------------------------------------------------------------------------------------- events


def test_a_note_is_added(client: Client, agent: User, case: Case) -> None:
    response = post(client, f"/api/v1/cases/{case.reference}/events", token(agent),
                    {"type": "note", "body": "Guest moved to room 412"})

    assert response.status_code == 201
    event = CaseEvent.objects.get(kind="note")
    assert response.json() == {
        "id": event.pk, "kind": "note", "actor": {"username": "agent", "name": "Linh"},
        "body": "Guest moved to room 412", "is_customer_visible": False, "data": {},
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
    }
    EventOut.model_validate(response.json())


def test_a_reply_goes_to_the_outbox(client: Client, agent: User, case: Case) -> None:
    response = post(client, f"/api/v1/cases/{case.reference}/events", token(agent),
                    {"type": "reply", "body": "Xin lỗi anh/chị, chúng tôi đã dọn phòng."})

    assert response.status_code == 201
    message = Message.objects.get(direction="out")
    assert response.json()["kind"] == "message_out"
    assert response.json()["data"] == {"message_id": message.pk, "channel": message.channel}
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Status.IN_PROGRESS, agent)


@pytest.mark.parametrize(("status", "kind"), [
    ("acknowledged", "acknowledged"),
    ("in_progress", "status_changed"),
    ("awaiting_customer", "status_changed"),
    ("resolved", "resolved"),
])
def test_a_status_change_is_recorded(client: Client, agent: User, case: Case, status: str, kind: str) -> None:
    complete_steps(case, by=agent)
    response = post(client, f"/api/v1/cases/{case.reference}/events", token(agent),
                    {"type": "status", "status": status, "body": "Because"})

    assert response.status_code == 201
    assert response.json()["kind"] == kind
    assert response.json()["actor"] == {"username": "agent", "name": "Linh"}
    case.refresh_from_db()
    assert case.status == status


def test_asking_for_the_current_status_is_a_conflict(client: Client, agent: User, case: Case) -> None:
    services.change_status(case, Status.IN_PROGRESS, by=agent)
    events = case.events.count()

    response = post(client, f"/api/v1/cases/{case.reference}/events", token(agent),
                    {"type": "status", "status": "in_progress"})

    assert response.status_code == 409
    assert response.json() == {"error": {"code": "conflict", "message": "The case is already “In progress”."}}
    assert case.events.count() == events


def test_an_impossible_transition_is_a_conflict(client: Client, agent: User, case: Case) -> None:
    response = post(client, f"/api/v1/cases/{case.reference}/events", token(agent),
                    {"type": "status", "status": "closed"})

    assert response.status_code == 409
    assert response.json() == {"error": {"code": "conflict", "message": "Only a resolved case can be closed."}}
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_a_reply_to_a_closed_case_is_refused(client: Client, supervisor: User, case: Case) -> None:
    complete_steps(case, by=supervisor)
    services.resolve(case, by=supervisor)
    services.close_case(case, by=supervisor)
    events = case.events.count()

    response = post(client, f"/api/v1/cases/{case.reference}/events", token(supervisor),
                    {"type": "reply", "body": "Hello?"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert case.events.count() == events
    assert Message.objects.count() == 0


def test_an_empty_note_is_refused(client: Client, agent: User, case: Case) -> None:
    response = post(client, f"/api/v1/cases/{case.reference}/events", token(agent), {"type": "note", "body": " "})

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid", "message": "The note is empty."}}
    assert case.events.count() == 1



def test_a_short_page_lists_only_its_own_customers_identities(client: Client, supervisor: User,
                                                              many: list[Case]) -> None:
    headers = token(supervisor)
    for limit in (1, 2, 3):
        for item in client.get(f"/api/v1/cases?limit={limit}", headers=headers).json()["items"]:
            assert client.get(f"/api/v1/cases/{item['reference']}", headers=headers).json() == item


def test_lists_keep_filters_cursors_and_users_apart(client: Client, supervisor: User, agent: User,
                                                             many: list[Case]) -> None:
    headers, agent_headers = token(supervisor), token(agent)
    for _round in range(2):
        assert refs(client.get("/api/v1/cases?limit=2", headers=headers)) == [many[5].reference, many[4].reference]
        page = client.get("/api/v1/cases?limit=2", headers=headers).json()
        assert refs(client.get(f"/api/v1/cases?limit=2&cursor={page['next_cursor']}", headers=headers)) == [
            many[3].reference, many[2].reference]
        assert refs(client.get("/api/v1/cases?channel=line", headers=headers)) == [
            many[4].reference, many[2].reference]
        assert refs(client.get("/api/v1/cases?channel=web", headers=headers)) == [
            many[5].reference, many[0].reference]
        # The agent works at Hà Nội only.
        assert refs(client.get("/api/v1/cases", headers=agent_headers)) == [
            many[5].reference, many[3].reference, many[1].reference, many[0].reference]
