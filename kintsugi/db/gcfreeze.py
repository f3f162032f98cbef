"""Keep the garbage collector's full passes short in a web process (not the database's machinery, but the same
seam: what the web edge does for speed).

Python's cyclic collector now and then walks every object it tracks (a full, "generation 2" pass) while holding
the interpreter lock, so every thread of the process stops meanwhile. A web worker that has served its first
requests tracks over 100,000 objects (Django's modules and models, the URL patterns, compiled templates,
translation catalogues); a full pass over them took 95-100 ms on this machine, which every request in flight
waited out: the p99 of creating a case was 111-129 ms without this (2026-12-07, quick runs of `bench/run.py`),
against 57-65 ms with it.

`FreezeAfter` wraps the WSGI application: after the process's first `after` requests (what they load is then
loaded) it collects once and moves everything it then holds to the permanent generation (`gc.freeze()`), which
later passes never walk. Frozen objects are still freed by reference counting; only a cycle that was garbage at
that moment would stay, and the collection just before the freeze clears those.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["FreezeAfter", "freeze_after"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class FreezeAfter:
    """A WSGI application that freezes the process's objects once, after its first `after` requests."""

    def __init__(self, app: WSGIApp, after: int) -> None:
        self.app = app
        self.after = after
        self.seen = 0
        self.frozen = False
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not self.frozen:
            self._count()
        return self.app(environ, start_response)

    def _count(self) -> None:
        with self._lock:
            if self.frozen:
                return
            self.seen += 1
            if self.seen < self.after:
                return
            self.frozen = True
        gc.collect()
        gc.freeze()


def freeze_after(app: WSGIApp, after: int) -> WSGIApp:
    """`app` wrapped in FreezeAfter; `app` itself when `after` is 0 (switched off)."""
    return FreezeAfter(app, after) if after > 0 else app
