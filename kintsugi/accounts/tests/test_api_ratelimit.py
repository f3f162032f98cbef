"""The per-token rate limit: the sliding-window arithmetic, and 429 with Retry-After through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from kintsugi.accounts import apiauth
from kintsugi.accounts.models import ApiToken, Location, User
from kintsugi.cases.models import Case
from kintsugi.lib.ratelimit import SlidingWindowLimiter

# --------------------------------------------------------------------------------------------- arithmetic


def run(hits: list[float], limit: int) -> list[float]:
    limiter = SlidingWindowLimiter(window=60.0)
    return [limiter.hit("k", limit, now=at) for at in hits]


@pytest.mark.parametrize(("hits", "limit", "waits"), [
    # Within one window: the fourth of a limit of 3 waits for this window's hits to fade in the next one.
    ([60.0, 61.0, 62.0, 63.0], 3, [0, 0, 0, 57.0 + 20.0]),
    # Windows start on multiples of 60: three hits at 100 s (window 1, 40 s in), a fourth must wait 20 + 20 s.
    ([100.0, 100.0, 100.0, 100.0], 3, [0, 0, 0, 40.0]),
    # At the start of the next window the previous count (3) weighs fully; a third of it fades in 20 s.
    ([100.0, 100.0, 100.0, 120.0], 3, [0, 0, 0, 20.0]),
    ([100.0, 100.0, 100.0, 140.0], 3, [0, 0, 0, 0]),
    # Refused hits are not counted, so waiting as told is enough.
    ([100.0, 100.0, 100.0, 100.0, 100.0, 140.0], 3, [0, 0, 0, 40.0, 40.0, 0]),
    # Two windows later nothing of the past remains.
    ([0.0, 0.0, 130.0, 130.0], 2, [0, 0, 0, 0]),
    # The approximation spreads a window's hits evenly: a single hit fades only at the end of the next window.
    ([0.0, 1.0], 1, [0, 119.0]),
    # No limit.
    ([0.0] * 5, 0, [0] * 5),
])
def test_the_sliding_window(hits: list[float], limit: int, waits: list[float]) -> None:
    assert run(hits, limit) == pytest.approx(waits)


def test_keys_are_counted_apart() -> None:
    limiter = SlidingWindowLimiter()

    assert [limiter.hit(key, 2, now=5.0) for key in ("a", "b", "a", "b", "a", "b")] == [0, 0, 0, 0, 85.0, 85.0]


def test_idle_keys_are_forgotten_when_there_are_too_many(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SlidingWindowLimiter, "MAX_KEYS", 3)
    limiter = SlidingWindowLimiter()
    for key in ("a", "b", "c"):
        limiter.hit(key, 10, now=0.0)

    limiter.hit("d", 10, now=200.0)

    assert set(limiter._state) == {"d"}


# --------------------------------------------------------------------------------------------- through the API


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    clock = [100.0]
    monkeypatch.setattr(apiauth.limiter, "clock", lambda: clock[0])
    return clock


def bearer(user: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


@override_settings(API_RATE_LIMIT_PER_MINUTE=3)
def test_the_fourth_request_in_a_minute_is_429(client: Client, agent: User, hanoi: Location,
                                               now: list[float]) -> None:
    headers = bearer(agent)
    statuses = [client.get("/api/v1/me", headers=headers).status_code for _ in range(3)]

    response = client.get("/api/v1/me", headers=headers)

    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert response.json() == {"error": {"code": "rate_limited",
                                         "message": "Too many requests for this token; retry in 40 s."}}
    now[0] += 40
    assert client.get("/api/v1/me", headers=headers).status_code == 200


@override_settings(API_RATE_LIMIT_PER_MINUTE=1)
def test_a_refused_write_does_nothing(client: Client, agent: User, case: Case, now: list[float]) -> None:
    headers = bearer(agent)
    client.get("/api/v1/me", headers=headers)

    response = client.post(f"/api/v1/cases/{case.reference}/events", data={"type": "note", "body": "Hi"},
                           content_type="application/json", headers=headers)

    assert response.status_code == 429
    assert case.events.count() == 1


@override_settings(API_RATE_LIMIT_PER_MINUTE=1)
def test_each_token_has_its_own_allowance(client: Client, agent: User, supervisor: User,
                                          now: list[float]) -> None:
    first, second, other = bearer(agent), bearer(agent), bearer(supervisor)

    statuses = [client.get("/api/v1/me", headers=h).status_code for h in (first, second, other, first)]

    assert statuses == [200, 200, 200, 429]


@override_settings(API_RATE_LIMIT_PER_MINUTE=1)
def test_requests_without_a_valid_token_are_not_counted(client: Client, agent: User, now: list[float]) -> None:
    headers = bearer(agent)
    for _ in range(3):
        client.get("/api/v1/me", headers={"Authorization": "Bearer kt_wrong"})

    assert client.get("/api/v1/me", headers=headers).status_code == 200


@override_settings(API_RATE_LIMIT_PER_MINUTE=2)
def test_every_endpoint_is_limited(client: Client, supervisor: User, case: Case, now: list[float]) -> None:
    calls: list[tuple[str, str, Any]] = [
        ("get", "/api/v1/cases", None),
        ("get", f"/api/v1/cases/{case.reference}", None),
        ("get", f"/api/v1/cases/{case.reference}/events", None),
        ("post", f"/api/v1/cases/{case.reference}/events", {"type": "note", "body": "x"}),
        ("post", "/api/v1/cases", {"description": "x", "customer": {"name": "y"}, "location": "hanoi"}),
        ("get", "/api/v1/touchpoints", None),
        ("get", "/api/v1/me", None),
    ]
    for method, path, payload in calls:
        apiauth.limiter.reset()
        headers = bearer(supervisor)
        statuses = [
            getattr(client, method)(path, data=payload, content_type="application/json", headers=headers).status_code
            for _ in range(3)
        ]
        assert statuses[2] == 429, path
