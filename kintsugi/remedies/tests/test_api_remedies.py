"""API v1 remedies: create (granted or pending from the caller's limits), list, approve, reject, fulfil; amounts
as decimal strings checked against the currency's minor units; 404 across organisations, 403 without authority,
409 when already decided, and nothing changes on any refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kintsugi.accounts.models import ApiToken, User
from kintsugi.cases.models import Case, CaseEvent
from kintsugi.comms.models import Message
from kintsugi.remedies import services
from kintsugi.remedies.api import RemedyList, RemedyOut
from kintsugi.remedies.models import Remedy, RemedyStatus

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings")


def token(user: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


def post(client: Client, path: str, user: User, payload: Any = None) -> Any:
    return client.post(path, data=payload if payload is not None else {}, content_type="application/json",
                       headers=token(user))


def state() -> tuple[Any, ...]:
    return (list(Remedy.objects.order_by("id").values_list("status", "decided_by_id", "amount_minor")),
            CaseEvent.objects.count(), Message.objects.count())


def test_agent_gives_a_remedy_within_the_limit(client: Client, case: Case, agent: User) -> None:
    response = post(client, f"/api/v1/cases/{case.reference}/remedies", agent, {
        "kind": "refund", "amount": "500000", "currency": "VND", "description": "Hoàn tiền minibar",
        "transaction_value": "300000",
    })
    assert response.status_code == 201
    body = response.json()
    RemedyOut.model_validate(body)
    assert (body["status"], body["amount"], body["currency"], body["is_above_150_percent"], body["requested_by"]) == (
        "granted", "500000", "VND", True, "agent")
    assert Remedy.objects.get().amount_minor == 500_000


def test_above_the_limit_it_waits_for_approval(client: Client, bangkok_case: Case, bangkok_agent: User) -> None:
    response = post(client, f"/api/v1/cases/{bangkok_case.reference}/remedies", bangkok_agent, {
        "kind": "voucher", "amount": "500.01", "currency": "THB"})
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["amount"], response.json()["exceeded"]) == (
        "pending_approval", "500.01", ["per_remedy"])
    assert Remedy.objects.get().amount_minor == 50_001


@pytest.mark.parametrize(
    ("amount", "currency", "code"),
    [("10.5", "VND", "precision"), ("12.345", "THB", "precision"), ("1,000", "VND", "format"),
     ("-5", "VND", "negative"), ("", "VND", "format")],
)
def test_amounts_must_fit_the_currencys_minor_units(client: Client, case: Case, agent: User, amount: str,
                                                    currency: str, code: str) -> None:
    before = state()
    response = post(client, f"/api/v1/cases/{case.reference}/remedies", agent,
                    {"kind": "refund", "amount": amount, "currency": currency})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["details"][0]["field"] == "amount"
    assert error["details"][0]["code"] == code
    assert state() == before


@pytest.mark.parametrize("payload", [{"kind": "refund", "amount": 10, "currency": "VND"},
                                     {"kind": "cash", "amount": "10", "currency": "VND"},
                                     {"kind": "refund", "amount": "10", "currency": "EUR"},
                                     {"kind": "refund", "amount": "10", "currency": "VND", "extra": 1}])
def test_bad_payloads_get_422(client: Client, case: Case, agent: User, payload: dict[str, Any]) -> None:
    response = post(client, f"/api/v1/cases/{case.reference}/remedies", agent, payload)
    assert response.status_code == 422
    assert Remedy.objects.count() == 0


def test_a_currency_the_organisation_does_not_accept_is_a_400(client: Client, case: Case, agent: User) -> None:
    response = post(client, f"/api/v1/cases/{case.reference}/remedies", agent,
                    {"kind": "refund", "amount": "10.00", "currency": "USD"})
    assert response.status_code == 400
    assert Remedy.objects.count() == 0


@pytest.fixture
def pending(case: Case, agent: User) -> Remedy:
    return services.propose_remedy(case, kind="refund", amount_minor=900_000, currency="VND", by=agent)


def test_supervisor_approves_then_a_second_decision_is_409(client: Client, pending: Remedy, supervisor: User,
                                                           manager: User) -> None:
    response = post(client, f"/api/v1/remedies/{pending.pk}/approve", supervisor, {"reason": "OK"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_by"]) == ("approved", "supervisor")
    before = state()
    again = post(client, f"/api/v1/remedies/{pending.pk}/reject", manager, {"reason": "No"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    assert state() == before


def test_reject_needs_a_reason(client: Client, pending: Remedy, manager: User) -> None:
    before = state()
    assert post(client, f"/api/v1/remedies/{pending.pk}/reject", manager, {"reason": ""}).status_code == 400
    assert state() == before
    response = post(client, f"/api/v1/remedies/{pending.pk}/reject", manager, {"reason": "Đã bồi hoàn qua OTA"})
    assert response.json()["status"] == "rejected"


def test_a_caller_without_authority_gets_403_and_nothing_changes(client: Client, pending: Remedy,
                                                                  agent: User) -> None:
    before = state()
    for action in ("approve", "reject"):
        response = post(client, f"/api/v1/remedies/{pending.pk}/{action}", agent, {"reason": "x"})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert state() == before


@pytest.mark.parametrize("who", ["outsider", "bangkok_agent"])
def test_other_organisations_and_locations_get_404_and_nothing_changes(
    client: Client, case: Case, pending: Remedy, staff_cast: dict[str, User], who: str
) -> None:
    user = staff_cast[who]
    before = state()
    assert client.get(f"/api/v1/cases/{case.reference}/remedies", headers=token(user)).status_code == 404
    assert post(client, f"/api/v1/cases/{case.reference}/remedies", user,
                {"kind": "apology", "amount": "0", "currency": "VND"}).status_code == 404
    for action in ("approve", "reject", "fulfil"):
        response = post(client, f"/api/v1/remedies/{pending.pk}/{action}", user, {})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert post(client, "/api/v1/remedies/999999999999/approve", user, {}).status_code == 404
    assert state() == before


def test_list_and_fulfil(client: Client, case: Case, agent: User, supervisor: User, pending: Remedy) -> None:
    services.propose_remedy(case, kind="gesture", amount_minor=150_000, currency="VND", by=agent)
    response = client.get(f"/api/v1/cases/{case.reference}/remedies", headers=token(agent))
    assert response.status_code == 200
    RemedyList.model_validate(response.json())
    assert [(r["kind"], r["status"]) for r in response.json()["items"]] == [
        ("refund", "pending_approval"), ("gesture", "granted")]
    post(client, f"/api/v1/remedies/{pending.pk}/approve", supervisor)
    done = post(client, f"/api/v1/remedies/{pending.pk}/fulfil", agent, {"proof": "HT-1"})
    assert (done.status_code, done.json()["status"], done.json()["proof"]) == (200, "fulfilled", "HT-1")
    assert Message.objects.filter(case=case).count() == 1
    assert Remedy.objects.get(pk=pending.pk).status == RemedyStatus.FULFILLED
