"""The read gate: at most `settings.READ_CONCURRENCY` reads compute at once in a web process (settings.MIDDLEWARE
puts it first)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

__all__ = ["FairGate", "ReadGateMiddleware"]


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
