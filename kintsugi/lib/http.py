"""The one place Kintsugi talks to other servers over HTTP (the chat providers' APIs: LINE, Messenger, Zalo).

Every call has a timeout; a 429 or a 5xx answer, and a connection that fails, is tried again with a growing
pause (the provider's Retry-After when it gives one, capped), up to `retries` times; then the last answer is
returned (a status the caller maps to its own error) or HttpUnavailable raised. A call never runs inside a
database transaction: it would hold the database's write lock for as long as the network takes, so it raises
instead (the worker calls providers before or after its writes, never during).

Tests point the providers' base URLs (settings) at local fake servers; nothing here is replaced in tests.
"""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import urllib3
from django.db import connections

__all__ = ["HttpUnavailable", "InsideTransaction", "Response", "request"]

DEFAULT_TIMEOUT = 10.0  # seconds, to connect and again to read
MAX_PAUSE = 30.0  # seconds: a Retry-After longer than this is not waited for, the answer is returned
RETRIED = frozenset({429, 500, 502, 503, 504})

_pool = urllib3.PoolManager(num_pools=20, maxsize=8, retries=False)


class HttpUnavailable(Exception):
    """The server could not be reached, or did not answer in time, on every try."""


class InsideTransaction(RuntimeError):
    """A call made inside a database transaction (a bug: see the module's contract)."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body read as JSON; None when it is empty or not JSON."""
        try:
            return jsonlib.loads(self.body) if self.body else None
        except ValueError:
            return None

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def _in_transaction() -> bool:
    """Whether any database connection is inside a transaction of our own (a test case's wrapping one, which
    Django marks, does not count)."""
    for conn in connections.all(initialized_only=True):
        if any(not getattr(block, "_from_testcase", False) for block in conn.atomic_blocks):
            return True
    return False


def _pause(response: urllib3.BaseHTTPResponse | None, attempt: int, backoff: float) -> float:
    """How long to wait before try number attempt + 1: the server's Retry-After (seconds), else backoff * 2^n."""
    if response is not None:
        after = str(response.headers.get("Retry-After", ""))
        if after.strip().isdigit():
            return float(after.strip())
    return float(backoff * 2 ** attempt)


def request(
    method: str, url: str, *, headers: Mapping[str, str] | None = None, json: Any = None,
    form: Mapping[str, str] | None = None, body: bytes | None = None, params: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT, retries: int = 2, backoff: float = 0.5,
) -> Response:
    """Send one request (a JSON body, a form, or raw bytes) and return the answer, whatever its status."""
    if _in_transaction():
        raise InsideTransaction(f"HTTP {method} {url} inside a database transaction")
    sent_headers = dict(headers or {})
    if json is not None:
        body = jsonlib.dumps(json, ensure_ascii=False).encode()
        sent_headers.setdefault("Content-Type", "application/json; charset=utf-8")
    elif form is not None:
        body = urlencode(form).encode()
        sent_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    last_error: Exception | None = None
    for attempt in range(retries + 1):
        answer: urllib3.BaseHTTPResponse | None = None
        try:
            answer = _pool.request(method, url, body=body, headers=sent_headers,
                                   timeout=urllib3.Timeout(connect=timeout, read=timeout), redirect=False)
        except urllib3.exceptions.HTTPError as exc:  # refused, reset, timed out, TLS
            last_error = exc
        else:
            if answer.status not in RETRIED or attempt == retries:
                return Response(answer.status, answer.data, dict(answer.headers))
        if attempt == retries:
            break
        pause = _pause(answer, attempt, backoff)
        if pause > MAX_PAUSE:
            if answer is not None:
                return Response(answer.status, answer.data, dict(answer.headers))
            break
        time.sleep(pause)
    raise HttpUnavailable(f"{method} {url}: {last_error}")
