"""API token authentication: `Authorization: Bearer <token>` or `X-API-Key: <token>`, then the rate limit.

A token acts as its staff user, with that user's role and location scope. Tokens are stored hashed; one indexed
query (token, user, organisation and the user's locations) resolves a hash, and the answer is kept per process
for TOKEN_CACHE_SECONDS so an API call costs no query for authentication.

What the cache means for revocation: a revoked token, a deactivated user or a changed scope takes effect in the
process that calls `forget()` at once, and in every other process within TOKEN_CACHE_SECONDS (30 s).

`last_used_at` is written at most once a minute per token (a conditional UPDATE), never per request.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyHeader, HttpBearer

from kintsugi.accounts.models import ApiToken, Organisation, User, hash_token
from kintsugi.lib.apiresponse import ApiError
from kintsugi.lib.ratelimit import SlidingWindowLimiter

__all__ = [
    "TOKEN_CACHE_SECONDS",
    "ApiKeyAuth",
    "ApiPrincipal",
    "BearerAuth",
    "authenticate_token",
    "clear_cache",
    "forget",
    "limiter",
]

TOKEN_CACHE_SECONDS = 30.0
LAST_USED_EVERY = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200
MAX_CACHED_TOKENS = 10_000

_USER_FIELDS = ("username", "first_name", "last_name", "email", "role", "language", "is_active", "organisation_id")
_ORG_FIELDS = (
    "name", "slug", "default_language", "currency", "repeat_failure_window_days", "sla_warning_percent",
    "created_at",
)


@dataclass(frozen=True, slots=True)
class _Grant:
    """What the cache keeps for one token hash: plain values, so every request gets its own model instances."""

    is_valid: bool
    token_id: int
    token_prefix: str
    token_name: str
    token_created_at: datetime
    user_id: int
    user: dict[str, Any]
    organisation: dict[str, Any]
    scope: frozenset[int] | None
    loaded_at: float


@dataclass(frozen=True, slots=True)
class ApiPrincipal:
    """Who an API request acts as: `request.auth`."""

    token_id: int
    token_prefix: str
    token_name: str
    token_created_at: datetime
    token_last_used_at: datetime | None
    user: User
    organisation: Organisation


_lock = threading.Lock()
_grants: dict[str, _Grant] = {}
_last_used: dict[int, datetime | None] = {}
limiter = SlidingWindowLimiter(window=60.0)


def _monotonic() -> float:
    return time.monotonic()


def _wall_clock() -> datetime:
    return timezone.now()


def _load(token_hash: str, at: float) -> _Grant | None:
    """One indexed query: the token, its user and organisation, and one row per location of the user's scope."""
    columns = (
        "id", "prefix", "name", "created_at", "last_used_at", "revoked_at", "user_id",
        *(f"user__{name}" for name in _USER_FIELDS),
        *(f"user__organisation__{name}" for name in _ORG_FIELDS),
        "user__locations",
    )
    rows = list(ApiToken.objects.filter(token_hash=token_hash).values_list(*columns))
    if not rows:
        return None
    first = rows[0]
    token_id, prefix, name, created_at, last_used_at, revoked_at, user_id = first[:7]
    user = dict(zip(_USER_FIELDS, first[7 : 7 + len(_USER_FIELDS)], strict=True))
    organisation = dict(zip(_ORG_FIELDS, first[7 + len(_USER_FIELDS) : -1], strict=True))
    locations = frozenset(row[-1] for row in rows if row[-1] is not None)
    with _lock:
        _last_used.setdefault(token_id, last_used_at)
    return _Grant(
        is_valid=revoked_at is None and bool(user["is_active"]) and user["organisation_id"] is not None,
        token_id=token_id,
        token_prefix=prefix,
        token_name=name,
        token_created_at=created_at,
        user_id=user_id,
        user=user,
        organisation=organisation,
        scope=locations or None,
        loaded_at=at,
    )


def _principal(grant: _Grant) -> ApiPrincipal:
    organisation = Organisation(id=grant.user["organisation_id"], **grant.organisation)
    organisation._state.adding = False
    user = User(id=grant.user_id, **grant.user)
    user._state.adding = False
    user.organisation = organisation
    # access.location_scope() reads this instead of querying the user's locations again.
    user._location_scope = grant.scope  # type: ignore[attr-defined]
    return ApiPrincipal(
        token_id=grant.token_id,
        token_prefix=grant.token_prefix,
        token_name=grant.token_name,
        token_created_at=grant.token_created_at,
        token_last_used_at=_last_used.get(grant.token_id),
        user=user,
        organisation=organisation,
    )


def _touch(token_id: int) -> None:
    """Record use at most once a minute; the condition keeps several processes from writing it each."""
    now = _wall_clock()
    last = _last_used.get(token_id)
    if last is not None and now - last < LAST_USED_EVERY:
        return
    with _lock:
        _last_used[token_id] = now
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)
    ApiToken.objects.filter(stale, pk=token_id).update(last_used_at=now)


def authenticate_token(raw: str) -> ApiPrincipal | None:
    """The principal a raw token acts as, or None for an unknown, revoked or inactive one."""
    raw = raw.strip()
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token_hash = hash_token(raw)
    now = _monotonic()
    grant = _grants.get(token_hash)
    if grant is None or now - grant.loaded_at > TOKEN_CACHE_SECONDS:
        grant = _load(token_hash, now)
        if grant is None:
            return None
        with _lock:
            if len(_grants) >= MAX_CACHED_TOKENS:
                _grants.clear()
            _grants[token_hash] = grant
    if not grant.is_valid:
        return None
    _touch(grant.token_id)
    return _principal(grant)


def forget(token_hash: str) -> None:
    """Drop a token from this process's cache, e.g. right after revoking it."""
    with _lock:
        _grants.pop(token_hash, None)


def clear_cache() -> None:
    with _lock:
        _grants.clear()
        _last_used.clear()


def _authenticate(request: HttpRequest, raw: str | None) -> ApiPrincipal | None:
    if not raw:
        return None
    principal = authenticate_token(raw)
    if principal is None:
        raise ApiError(
            401,
            str(_("The API token is not valid, or has been revoked.")),
            code="invalid_token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    wait = limiter.hit(principal.token_id, settings.API_RATE_LIMIT_PER_MINUTE)
    if wait:
        seconds = max(1, int(-(-wait // 1)))
        raise ApiError(
            429,
            str(_("Too many requests for this token; retry in %(seconds)d s.") % {"seconds": seconds}),
            headers={"Retry-After": str(seconds)},
        )
    return principal


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiPrincipal | None:
        return _authenticate(request, token)


class ApiKeyAuth(APIKeyHeader):
    """`X-API-Key: <token>`, for clients that cannot set an Authorization header."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiPrincipal | None:
        return _authenticate(request, key)
