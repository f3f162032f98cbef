"""The page-only middleware: API calls skip sessions, CSRF, auth and messages; pages keep them all."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from kintsugi.accounts.models import ApiToken, Location, User


def test_an_api_call_from_a_signed_in_browser_does_not_load_its_session(
    client: Client, agent: User, hanoi: Location, django_assert_num_queries: Any
) -> None:
    _token, raw = ApiToken.issue(agent)
    headers = {"Authorization": f"Bearer {raw}"}
    client.force_login(agent)
    client.get("/api/v1/me", headers=headers)

    with django_assert_num_queries(1):  # /me's locations: no session, no session user
        response = client.get("/api/v1/me", headers=headers)

    assert response.status_code == 200
    assert response.json()["username"] == "agent"
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_a_session_without_a_token_is_not_an_api_login(client: Client, agent: User) -> None:
    client.force_login(agent)

    response = client.get("/api/v1/me")

    assert response.status_code == 401


def test_an_api_error_is_still_in_the_callers_language(client: Client) -> None:
    response = client.get("/api/v1/me", headers={"Accept-Language": "vi"})

    assert response.status_code == 401
    assert response["Content-Language"] == "vi"


def test_pages_keep_sessions_csrf_and_the_signed_in_user(client: Client, agent: User) -> None:
    client.force_login(agent)

    response = client.get("/cases/")

    assert response.status_code == 200
    assert response.wsgi_request.user == agent
    assert response.wsgi_request.htmx is not None  # type: ignore[attr-defined]
    assert settings.CSRF_COOKIE_NAME in response.cookies
