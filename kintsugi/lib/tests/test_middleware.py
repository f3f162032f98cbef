"""The middleware stack: pages have their session, CSRF cookie and signed-in user; the API answers to its token
alone, in the caller's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from kintsugi.accounts.models import ApiToken, Location, User
from kintsugi.lib.i18n import UserLanguageMiddleware


def test_an_api_call_from_a_signed_in_browser_sets_no_session_or_csrf_cookie(
    client: Client, agent: User, hanoi: Location, django_assert_num_queries: Any
) -> None:
    _token, raw = ApiToken.issue(agent)
    headers = {"Authorization": f"Bearer {raw}"}
    client.force_login(agent)
    client.get("/api/v1/me", headers=headers)

    # The session and its user (the language middleware asks who is signed in), then /me's locations.
    with django_assert_num_queries(3):
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


def test_without_a_session_cookie_the_language_never_looks_up_the_user() -> None:
    def look_up() -> User:
        raise AssertionError("the user was looked up")

    request = RequestFactory().get("/t/front-desk/", HTTP_ACCEPT_LANGUAGE="th-TH,th;q=0.9")
    request.user = SimpleLazyObject(look_up)  # type: ignore[assignment]
    response = UserLanguageMiddleware(lambda request: HttpResponse("ok"))(request)

    assert (request.LANGUAGE_CODE, response.headers["Content-Language"]) == ("th", "th")
