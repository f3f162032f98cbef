"""Middleware the pages need and the API does not, skipped for requests under /api/.

The API authenticates every request with a token and answers JSON: it has no session, no CSRF cookie (its views
are csrf_exempt), no flash messages and no HTMX. Running those middleware for it anyway costs about 0.15 ms a
call, a tenth of what opening a case through the API costs. Each class here is Django's (or django-htmx's) own
for every other path, subclassed so that the admin's system checks still find them.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Message
from django.contrib.messages.storage import default_storage
from django.contrib.messages.storage.base import BaseStorage
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware as _Csrf
from django.utils.functional import SimpleLazyObject, empty
from django_htmx.middleware import HtmxMiddleware as _Htmx

from kintsugi.lib.formparse import FormRequest

__all__ = [
    "API_PREFIX", "AuthenticationMiddleware", "CsrfViewMiddleware", "HtmxMiddleware", "MessageMiddleware",
    "ReadGateMiddleware", "SessionMiddleware",
]

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class _PagesOnly:
    """Hand API requests straight to the next middleware; run the Django middleware for everything else."""

    get_response: Callable[[HttpRequest], Any]

    def __call__(self, request: HttpRequest) -> Any:
        if is_api(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class SessionMiddleware(_PagesOnly, _Session):
    pass


class CsrfViewMiddleware(_PagesOnly, _Csrf):
    """Only the request and response halves are skipped: process_view still runs for API views, and lets them
    through as csrf_exempt.

    A page's request becomes a kintsugi.lib.formparse.FormRequest first: the same request, whose URL-encoded
    form (read here by the CSRF check, then by the view) is parsed as Django parses it, at a fraction of the
    cost for text in Thai or Vietnamese."""

    def process_request(self, request: HttpRequest) -> None:
        if type(request) is WSGIRequest:
            request.__class__ = FormRequest  # a subclass adding no state: only how request.POST is parsed
        super().process_request(request)


class AuthenticationMiddleware(_PagesOnly, _Authentication):
    """API requests have no request.user: their user is the token's (request.auth)."""


class _LazyStorage(SimpleLazyObject[BaseStorage]):
    """The request's message storage, made when first used."""


class MessageMiddleware(_PagesOnly, _Message):
    """Django's, but the storage (a cookie backend falling back to a session one, about 12 us to build) is made
    only when something uses it. Most requests never do (every public form submission), and a storage nothing
    used or added to leaves the response as it is (`BaseStorage.update` stores only when used or added to)."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = _LazyStorage(partial(default_storage, request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        storage = getattr(request, "_messages", None)
        if type(storage) is _LazyStorage and storage._wrapped is empty:
            return response  # never made, so never used
        return super().process_response(request, response)


class HtmxMiddleware(_PagesOnly, _Htmx):
    pass


class ReadGateMiddleware:
    """At most `settings.READ_CONCURRENCY` reads (GET and HEAD: pages, the API's lists) run at once in a web
    process; the others wait their turn asleep on a semaphore, outside the interpreter.

    A web worker runs its requests in threads that share one interpreter lock. Reads are all CPU: eight of them
    at once take turns on the lock, and each takes eight times as long, in an order the lock does not keep fair
    (the inbox's p99 was 3.5x its p50). Writes spend much of their time waiting for SQLite's write lock, and the
    more of them wait together the larger the batch they are written in (group commit), so they are not gated:
    the worker keeps enough threads for writes and lets only a few reads compute at a time. 0 switches it off.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        limit = int(getattr(settings, "READ_CONCURRENCY", 0))
        self.gate = FairGate(limit) if limit > 0 else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        gate = self.gate
        if gate is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        gate.acquire()
        try:
            return self.get_response(request)
        finally:
            gate.release()


class FairGate:
    """A counting semaphore that serves its waiters first come, first served: a freed place is handed straight
    to the longest waiter, so no thread arriving later takes it first (threading.Semaphore lets them barge in,
    which is what makes a tail)."""

    def __init__(self, places: int) -> None:
        if places < 1:
            raise ValueError("a gate needs at least one place")
        self._free = places
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self) -> None:
        with self._mutex:
            if self._free > 0:
                self._free -= 1
                return
            handed = threading.Lock()
            handed.acquire()
            self._waiters.append(handed)
        handed.acquire()  # released by the thread that hands this one its place

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._free += 1
