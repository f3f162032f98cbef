"""The page-only middleware: API calls skip sessions, CSRF, auth and messages; pages keep them all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.utils.functional import empty

from kintsugi.accounts.models import ApiToken, Location, User
from kintsugi.lib.middleware import MessageMiddleware, SessionMiddleware


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


def _through(middleware: type[Any], view: Callable[[HttpRequest], HttpResponse], cookies: dict[str, str]) -> Any:
    """The view's response through sessions and `middleware`, with a request carrying `cookies`."""
    request = RequestFactory().get("/cases/")
    request.COOKIES.update(cookies)
    chain = SessionMiddleware(middleware(view))
    return chain(request), request


def _flash_views() -> dict[str, Callable[[HttpRequest], HttpResponse]]:
    def nothing(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    def add(request: HttpRequest) -> HttpResponse:
        messages.success(request, "Case VN-2026-000001 is open.")
        return HttpResponse("ok")

    def add_a_lot(request: HttpRequest) -> HttpResponse:  # too big for the cookie: into the session
        for i in range(40):
            messages.info(request, f"Message {i}: " + "x" * 100)
        return HttpResponse("ok")

    def read(request: HttpRequest) -> HttpResponse:
        return HttpResponse("|".join(str(m) for m in messages.get_messages(request)))

    def check(request: HttpRequest) -> HttpResponse:
        return HttpResponse(str(bool(messages.get_messages(request))))

    def render_page(request: HttpRequest) -> HttpResponse:
        return HttpResponse(Template("{% for m in messages %}[{{ m }}]{% endfor %}").render(RequestContext(request)))

    def level(request: HttpRequest) -> HttpResponse:
        messages.set_level(request, messages.WARNING)
        messages.info(request, "dropped")
        messages.warning(request, "kept")
        return HttpResponse(str(messages.get_level(request)))

    return {"nothing": nothing, "add": add, "add_a_lot": add_a_lot, "read": read, "check": check,
            "render": render_page, "level": level}


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["none", "add", "add_a_lot"])
@pytest.mark.parametrize("view", list(_flash_views()))
def test_flash_messages_behave_as_with_djangos_middleware(view: str, incoming: str) -> None:
    def cookies_after(middleware: type[Any]) -> dict[str, str]:
        if incoming == "none":
            return {}
        response, _request = _through(middleware, _flash_views()[incoming], {})
        return {name: morsel.value for name, morsel in response.cookies.items()}

    handle = _flash_views()[view]
    ours, our_request = _through(MessageMiddleware, handle, cookies_after(MessageMiddleware))
    django, django_request = _through(DjangoMessageMiddleware, handle, cookies_after(DjangoMessageMiddleware))

    assert ours.content == django.content
    assert {k: (m.value, m["max-age"]) for k, m in ours.cookies.items() if k != settings.SESSION_COOKIE_NAME} == {
        k: (m.value, m["max-age"]) for k, m in django.cookies.items() if k != settings.SESSION_COOKIE_NAME
    }
    assert (settings.SESSION_COOKIE_NAME in ours.cookies) == (settings.SESSION_COOKIE_NAME in django.cookies)
    assert dict(our_request.session.items()) == dict(django_request.session.items())


def test_a_request_that_never_uses_messages_never_builds_their_storage(client: Client, db: Any) -> None:
    response = client.get("/t/NOSUCHCODE/en/")

    storage = response.wsgi_request._messages  # type: ignore[attr-defined]
    assert storage._wrapped is empty
    assert "messages" not in response.cookies


def test_without_a_session_cookie_the_language_never_looks_up_the_user() -> None:
    from django.utils.functional import SimpleLazyObject

    from kintsugi.lib.i18n import UserLanguageMiddleware

    def look_up() -> User:
        raise AssertionError("the user was looked up")

    request = RequestFactory().get("/t/front-desk/", HTTP_ACCEPT_LANGUAGE="th-TH,th;q=0.9")
    request.user = SimpleLazyObject(look_up)  # type: ignore[assignment]
    response = UserLanguageMiddleware(lambda request: HttpResponse("ok"))(request)

    assert (request.LANGUAGE_CODE, response.headers["Content-Language"]) == ("th", "th")
