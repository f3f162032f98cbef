"""Keep the cyclic garbage collector's full passes short in a long-running web process.

Python's collector now and then walks every tracked object it holds (a "generation 2" pass), while holding the
interpreter lock, so every thread of the process stops meanwhile. A web worker that has served its first
requests holds about 135,000 such objects: Django's modules and models, the URLconf and its views, compiled
templates, translation catalogs, this project's per-process caches. Walking them took 95-100 ms on this
machine, which every request in flight in that worker waited out: a public form submission's usual 20 ms
became 120 ms.

`FreezeAfter` wraps the WSGI application: once the process has received its first `after` requests (so that
what they load is loaded), it collects once and moves every object it then holds to the collector's permanent
generation (`gc.freeze()`), which its passes never walk. Later passes walk only what was made since: about 7,000
objects. Frozen objects are still freed by reference counting like any other; only a reference cycle that was
garbage at that moment would stay, and the collection just before the freeze clears those.
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
