"""POST /api/v1/cases: what opening a case costs in queries once the token's codes are known."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kintsugi.accounts.models import ApiToken, Location, Organisation, Touchpoint, User
from kintsugi.cases.models import Case, Category

EN_TEXT = "The room was not cleaned when we arrived and the towels in the bathroom were dirty."


@pytest.fixture
def headers(supervisor: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(supervisor)
    return {"Authorization": f"Bearer {raw}"}


def post(client: Client, headers: dict[str, str], payload: dict[str, Any]) -> Any:
    return client.post("/api/v1/cases", data=payload, content_type="application/json", headers=headers)


@pytest.mark.usefixtures("policy")
def test_known_codes_cost_no_query_and_a_new_customer_costs_nine(
    client: Client, headers: dict[str, str], front_desk: Touchpoint, rooms: Category,
    django_assert_num_queries: Any,
) -> None:
    codes = {"location": "hanoi", "touchpoint": "hn-desk", "category": "rooms"}
    post(client, headers, {"description": EN_TEXT, "customer": {"email": "warm@example.com"}, **codes})

    # the customer's identities; customer, identity; reference (update, read), case, timers, event;
    # the identities the answer shows. (Inside the caller's transaction: no savepoint of its own.)
    with django_assert_num_queries(9):
        response = post(client, headers, {"description": EN_TEXT, "customer": {"email": "new@example.com"}, **codes})

    assert response.status_code == 201
    assert (response.json()["location"]["code"], response.json()["touchpoint"]["code"]) == ("hanoi", "hn-desk")
    assert response.json()["category"]["code"] == "rooms"
    assert response.json()["customer"]["identities"] == [{"kind": "email", "value": "new@example.com"}]


@pytest.mark.usefixtures("policy", "manager")
def test_a_returning_customer_costs_the_history_check_and_the_escalation(
    client: Client, headers: dict[str, str], hanoi: Location, django_assert_num_queries: Any,
) -> None:
    body = {"description": EN_TEXT, "location": "hanoi", "customer": {"email": "emma@example.com", "name": "Emma"}}
    post(client, headers, body)

    # identities; the new phone; history; reference (update, read), case (its priority already
    # raised), timers; the created and escalated events in one insert; the supervisors, their notifications;
    # the identities the answer shows.
    with django_assert_num_queries(11):
        response = post(client, headers, {**body, "customer": {"email": "emma@example.com", "phone": "0912000111"}})

    assert response.status_code == 201
    assert response.json()["is_repeat_failure"] is True
    assert response.json()["customer"]["identities"] == [
        {"kind": "email", "value": "emma@example.com"}, {"kind": "phone", "value": "+84912000111"},
    ]


@pytest.mark.usefixtures("policy")
def test_a_customer_known_by_name_only_is_created_and_shown_without_identities(
    client: Client, headers: dict[str, str], hanoi: Location, django_assert_num_queries: Any,
) -> None:
    body = {"description": EN_TEXT, "location": "hanoi", "customer": {"name": "Emma"}}
    post(client, headers, body)

    # customer; reference (update, read), case, timers, event; the (no) identities.
    with django_assert_num_queries(7):
        response = post(client, headers, body)

    assert response.status_code == 201
    assert response.json()["customer"]["name"] == "Emma"
    assert response.json()["customer"]["identities"] == []
    assert Case.objects.filter(customer__name="Emma").count() == 2


@pytest.mark.usefixtures("policy", "hanoi")
def test_a_location_added_after_an_unknown_code_is_found_at_once(
    client: Client, headers: dict[str, str], org: Organisation
) -> None:
    body = {"description": EN_TEXT, "location": "hue", "customer": {"name": "Emma"}}
    assert post(client, headers, body).status_code == 400

    Location.objects.create(organisation=org, name="Lotus Huế", code="hue", timezone="Asia/Ho_Chi_Minh")

    assert post(client, headers, body).status_code == 201
    assert Case.objects.get().location.code == "hue"
