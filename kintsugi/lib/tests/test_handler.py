"""The WSGI handler keeps each path's URL match: resolved once, never from another URLconf, never for a 404."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, clear_url_caches, get_resolver

from kintsugi.accounts.models import Touchpoint
from kintsugi.lib import handler as H


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths the URL resolver resolved, in order, on a fresh memo."""
    H.clear()
    calls: list[str] = []
    original = URLResolver.resolve

    def resolve(self: URLResolver, path: str) -> Any:
        if self is get_resolver():
            calls.append(path)
        return original(self, path)

    monkeypatch.setattr(URLResolver, "resolve", resolve)
    yield calls
    H.clear()


def _get(app: H.Handler, path: str) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_ACCEPT_LANGUAGE": "en",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(),
    }
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        status.append(line)
        return None

    body = app(environ, start_response)
    try:
        return status[0], b"".join(body)
    finally:
        body.close()


@pytest.mark.django_db(transaction=True)
def test_a_path_is_resolved_once_and_answered_the_same(counted: list[str], front_desk: Touchpoint) -> None:
    app = H.Handler()
    path = f"/t/{front_desk.public_code}/en/"
    first = _get(app, path)
    second = _get(app, path)

    assert counted == [path]
    assert first[0] == second[0] == "200 OK"
    assert front_desk.name.encode() in second[1]


@pytest.mark.django_db(transaction=True)
def test_another_path_of_the_same_view_is_resolved_with_its_own_arguments(
    counted: list[str], front_desk: Touchpoint
) -> None:
    app = H.Handler()
    _get(app, f"/t/{front_desk.public_code}/en/")
    status, body = _get(app, f"/t/{front_desk.public_code}/th/")

    assert counted == [f"/t/{front_desk.public_code}/en/", f"/t/{front_desk.public_code}/th/"]
    assert status == "200 OK"
    assert b'lang="th"' in body


@pytest.mark.django_db(transaction=True)
def test_a_path_that_matches_nothing_is_resolved_every_time(counted: list[str]) -> None:
    app = H.Handler()
    statuses = [_get(app, "/no-such-page/")[0] for _ in range(2)]

    assert statuses == ["404 Not Found", "404 Not Found"]
    assert counted == ["/no-such-page/", "/no-such-page/"]
    assert "/no-such-page/" not in H._kept


@pytest.mark.django_db(transaction=True)
def test_a_new_urlconf_is_never_answered_from_the_old_ones_matches(counted: list[str]) -> None:
    app = H.Handler()
    _get(app, "/login/")
    clear_url_caches()  # as when the settings' ROOT_URLCONF changes: Django makes a new resolver
    _get(app, "/login/")

    assert counted == ["/login/", "/login/"]


def test_a_request_with_its_own_urlconf_is_resolved_as_django_does(counted: list[str]) -> None:
    request = RequestFactory().get("/login/")
    request.urlconf = "kintsugi.urls"
    H.Handler().resolve_request(request)
    H.Handler().resolve_request(request)

    assert counted == ["/login/", "/login/"]  # every time
    assert request.resolver_match is not None
    assert request.resolver_match.url_name == "login"
    assert H._kept == {}


def test_the_memo_starts_again_when_full(counted: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(H, "MAX_KEPT", 2)
    app = H.Handler()
    for path in ("/login/", "/logout/", "/cases/", "/login/"):
        app.resolve_request(RequestFactory().get(path))

    assert counted == ["/login/", "/logout/", "/cases/", "/login/"]
    assert set(H._kept) == {"/cases/", "/login/"}


def test_no_url_pattern_depends_on_more_than_the_path() -> None:
    """What the memo relies on: no language prefix, no translated (lazy) route anywhere."""

    def walk(patterns: list[URLPattern | URLResolver]) -> Iterator[URLPattern | URLResolver]:
        for pattern in patterns:
            yield pattern
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)

    patterns = list(walk(get_resolver().url_patterns))
    assert len(patterns) > 100
    for pattern in patterns:
        assert not isinstance(pattern.pattern, LocalePrefixPattern)
        assert type(getattr(pattern.pattern, "_route", getattr(pattern.pattern, "_regex", ""))) is str

