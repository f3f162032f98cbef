"""A database that takes no writes: the API, the public form and staff pages each answer a clear 503 in their
own terms and language, never a stack trace, and the trouble is logged once a minute, not once a request."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from conftest import login
from kintsugi.accounts.models import ApiToken, Location, Touchpoint, User
from kintsugi.cases.models import Case
from kintsugi.intake.tests.pages import tr
from kintsugi.lib import unavailable
from kintsugi.ops.unavailable import server_error

# As in production: no test transaction around the requests (a failed write inside one would poison the rest).
pytestmark = pytest.mark.django_db(transaction=True)


def _writes(allowed: bool) -> None:
    """Let this connection write, or make its writes fail as a read-only or full database's do."""
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    if connection.vendor == "sqlite":
        raw.execute(f"PRAGMA query_only = {'OFF' if allowed else 'ON'}")
    else:
        raw.execute(f"SET default_transaction_read_only = {'off' if allowed else 'on'}")


@pytest.fixture
def read_only() -> Iterator[None]:
    _writes(False)
    yield
    _writes(True)


@pytest.fixture
def token(agent: User) -> str:
    return ApiToken.issue(agent, name="test")[1]


@pytest.fixture(autouse=True)
def _log_from_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unavailable, "_logged_at", float("-inf"))


def test_the_api_answers_503_unavailable(token: str, hanoi: Location, read_only: None,
                                         caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)
    body = {"description": "Khăn tắm bẩn.", "location": "hanoi", "customer": {"name": "Lan"}}
    with caplog.at_level(logging.ERROR, logger="kintsugi.unavailable"):
        for _ in range(3):
            response = client.post("/api/v1/cases", data=body, content_type="application/json",
                                   headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 503
            assert response["Retry-After"] == "60"
            error = json.loads(response.content)["error"]
            assert error["code"] == "unavailable"
            assert error["message"] == "Kintsugi cannot save anything at the moment. Please try again in a minute."
    assert len([r for r in caplog.records if r.name == "kintsugi.unavailable"]) == 1  # once a minute


def test_the_public_form_says_nothing_was_saved_and_gives_the_phone_in_the_customers_language(
    front_desk: Touchpoint, hanoi: Location
) -> None:
    Location.objects.filter(pk=hanoi.pk).update(phone="+84 24 3826 5555")
    client = Client(raise_request_exception=False)
    assert client.get(f"/t/{front_desk.public_code}/th/").status_code == 200  # this process keeps the touchpoint
    _writes(False)
    try:
        response = client.post(f"/t/{front_desk.public_code}/th/", {
            "description": "ห้องน้ำไม่สะอาดและไม่มีผ้าเช็ดตัวเลย", "severity": "3", "email": "somsri@example.com",
            "phone": "", "line_id": "", "zalo_id": "", "website": ""})
    finally:
        _writes(True)
    assert response.status_code == 503
    page = response.content.decode()
    assert response["Content-Language"] == "th"
    assert f"<h1>{tr('th', 'We could not save it')}</h1>" in page
    assert 'href="tel:+84 24 3826 5555"' in page
    assert "Traceback" not in page
    assert not Case.objects.exists()


@pytest.fixture
def signed_in(agent: User) -> Client:
    return login(Client(raise_request_exception=False), agent)


def test_staff_pages_answer_a_plain_503(case: Case, signed_in: Client, read_only: None) -> None:
    client = signed_in
    response = client.post(f"/cases/{case.reference}/note/", {"body": "Đã gọi lại cho khách."})
    assert response.status_code == 503
    assert "Kintsugi cannot save anything at the moment." in response.content.decode()


def test_any_other_error_is_still_the_ordinary_500() -> None:
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(RequestFactory().get("/cases/"))
    assert response.status_code == 500
