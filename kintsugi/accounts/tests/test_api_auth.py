"""API token authentication: both headers, revocation, inactive users, the per-process cache, last_used_at,
no CSRF, and the documentation served without a CDN."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from kintsugi.accounts import apiauth
from kintsugi.accounts.models import ApiToken, Location, User, hash_token
from kintsugi.cases.models import Case


class Clocks:
    """Stands in for the wall clock (last_used_at) and the monotonic clock (the token cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.wall = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)
        self.mono = 1000.0
        monkeypatch.setattr(apiauth, "_wall_clock", lambda: self.wall)
        monkeypatch.setattr(apiauth, "_monotonic", lambda: self.mono)

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


@pytest.fixture
def clocks(monkeypatch: pytest.MonkeyPatch) -> Clocks:
    return Clocks(monkeypatch)


def issue(user: User) -> tuple[ApiToken, str]:
    return ApiToken.issue(user, name="test")


def me(client: Client, headers: dict[str, str]) -> Any:
    return client.get("/api/v1/me", headers=headers)


@pytest.mark.parametrize("header", [
    "Authorization: Bearer {raw}", "Authorization: bearer {raw}", "Authorization: BEARER   {raw}  ",
    "X-API-Key: {raw}", "x-api-key: {raw}",
])
def test_a_token_is_accepted_in_either_header(client: Client, agent: User, header: str) -> None:
    _token, raw = issue(agent)
    name, value = header.format(raw=raw).split(": ", 1)

    response = me(client, {name: value})

    assert response.status_code == 200
    assert response.json()["username"] == "agent"


def test_me_describes_the_user_and_the_token(client: Client, agent: User, hanoi: Location,
                                             clocks: Clocks) -> None:
    agent.language = "th"
    agent.save(update_fields=["language"])
    token, raw = issue(agent)

    response = me(client, {"Authorization": f"Bearer {raw}"})

    assert response.json() == {
        "username": "agent",
        "name": "Linh",
        "email": "",
        "role": "frontline",
        "language": "th",
        "organisation": {"name": "Lotus Test Hotels", "slug": "lotus-test", "default_language": "vi"},
        "all_locations": False,
        "locations": [{"code": "hanoi", "name": "Lotus Hà Nội"}],
        "token": {
            "prefix": token.prefix,
            "name": "test",
            "created_at": token.created_at.isoformat().replace("+00:00", "Z"),
            "last_used_at": "2026-11-16T03:00:00Z",
        },
    }


def test_a_token_acts_with_its_users_scope(client: Client, agent: User, case: Case, bangkok_case: Case) -> None:
    _token, raw = issue(agent)

    response = client.get("/api/v1/cases", headers={"X-API-Key": raw})

    assert [item["reference"] for item in response.json()["items"]] == [case.reference]


def test_a_revoked_token_is_refused(client: Client, agent: User) -> None:
    token, raw = issue(agent)
    token.revoked_at = timezone.now()
    token.save()

    response = me(client, {"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401
    assert response.json() == {"error": {"code": "invalid_token",
                                         "message": "The API token is not valid, or has been revoked."}}
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_a_revocation_reaches_other_processes_within_the_cache_window(client: Client, agent: User,
                                                                      clocks: Clocks) -> None:
    token, raw = issue(agent)
    headers = {"Authorization": f"Bearer {raw}"}
    assert me(client, headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())  # as another process would

    clocks.advance(apiauth.TOKEN_CACHE_SECONDS)
    still_cached = me(client, headers)
    clocks.advance(1)
    expired = me(client, headers)

    assert still_cached.status_code == 200
    assert expired.status_code == 401


def test_forgetting_a_token_makes_its_revocation_immediate(client: Client, agent: User) -> None:
    token, raw = issue(agent)
    headers = {"Authorization": f"Bearer {raw}"}
    assert me(client, headers).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    apiauth.forget(token.token_hash)

    assert me(client, headers).status_code == 401


def test_an_inactive_user_is_refused(client: Client, agent: User) -> None:
    _token, raw = issue(agent)
    agent.is_active = False
    agent.save()

    response = me(client, {"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_cached_token_costs_no_query(client: Client, agent: User, hanoi: Location,
                                       django_assert_num_queries: Any) -> None:
    _token, raw = issue(agent)
    headers = {"Authorization": f"Bearer {raw}"}

    with django_assert_num_queries(3):  # the token with its user and scope; last_used_at; /me's locations
        me(client, headers)
    with django_assert_num_queries(1):  # /me's locations only
        me(client, headers)


def test_last_used_is_written_at_most_once_a_minute(client: Client, agent: User, clocks: Clocks,
                                                    django_assert_num_queries: Any) -> None:
    token, raw = issue(agent)
    headers = {"Authorization": f"Bearer {raw}"}
    start = clocks.wall

    me(client, headers)
    token.refresh_from_db()
    assert token.last_used_at == start

    clocks.advance(20)
    with django_assert_num_queries(1):  # /me's locations: no write, no token query
        me(client, headers)
    clocks.advance(39)  # the cache has expired: the token is read again, but not written
    with CaptureQueriesContext(connection) as queries:
        me(client, headers)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT", "SELECT"]
    token.refresh_from_db()
    assert token.last_used_at == start

    clocks.advance(1)
    me(client, headers)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=60)


def test_a_recent_use_by_another_process_is_not_written_again(client: Client, agent: User,
                                                              clocks: Clocks) -> None:
    token, raw = issue(agent)
    earlier = clocks.wall - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)

    me(client, {"Authorization": f"Bearer {raw}"})

    token.refresh_from_db()
    assert token.last_used_at == earlier


def test_tokens_are_looked_up_by_hash(agent: User) -> None:
    token, raw = issue(agent)

    principal = apiauth.authenticate_token(raw)

    assert principal is not None
    assert (principal.user.pk, principal.organisation.pk, principal.token_id) == (
        agent.pk, agent.organisation_id, token.pk
    )
    assert apiauth.authenticate_token(token.token_hash) is None
    assert apiauth.authenticate_token(raw[:-1]) is None
    assert ApiToken.objects.filter(token_hash=hash_token(raw)).exists()


def test_a_browser_session_is_not_an_api_login(client: Client, supervisor: User) -> None:
    login(client, supervisor)

    response = client.get("/api/v1/me")

    assert response.status_code == 401


def test_the_api_needs_no_csrf_token(agent: User, hanoi: Location) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, agent)  # even with a session cookie present
    _token, raw = issue(agent)

    response = client.post("/api/v1/cases", data={"description": "Broken lift", "customer": {"name": "E"}},
                           content_type="application/json", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 201


# --------------------------------------------------------------------------------------------- docs


def test_the_openapi_document_describes_every_endpoint(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert {path: sorted(methods) for path, methods in schema["paths"].items()} == {
        "/api/v1/apology/lint": ["post"],
        "/api/v1/cases": ["get", "post"],
        "/api/v1/cases/bulk": ["post"],
        "/api/v1/cases/{reference}": ["get"],
        "/api/v1/cases/{reference}/apology": ["post"],
        "/api/v1/cases/{reference}/events": ["get", "post"],
        "/api/v1/cases/{reference}/remedies": ["get", "post"],
        "/api/v1/cases/{reference}/resolve": ["post"],
        "/api/v1/me": ["get"],
        "/api/v1/playbooks": ["get"],
        "/api/v1/remedies/{remedy_id}/approve": ["post"],
        "/api/v1/remedies/{remedy_id}/fulfil": ["post"],
        "/api/v1/remedies/{remedy_id}/reject": ["post"],
        "/api/v1/touchpoints": ["get"],
    }
    assert schema["components"]["securitySchemes"] == {
        "BearerAuth": {"type": "http", "scheme": "bearer"},
        "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    create = schema["paths"]["/api/v1/cases"]["post"]
    assert sorted(create["responses"]) == ["201", "400", "401", "403", "404", "409", "413", "415", "422", "429"]
    assert schema["components"]["schemas"]["CaseIn"]["required"] == ["description", "customer"]


def test_the_docs_page_loads_nothing_from_elsewhere(client: Client) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "//" not in re.sub(r"<!--.*?-->", "", html).replace("http://www.w3.org", "")
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets == [
        "/static/ninja/swagger-ui.css", "/static/ninja/favicon.svg", "/static/ninja/favicon.png",
        "/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js",
    ]
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io
