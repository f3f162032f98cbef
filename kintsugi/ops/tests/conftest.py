"""What the ops tests share."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _isolate_the_loop(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`run_timers` installs SIGTERM/SIGINT handlers for its loop: give pytest its own back afterwards. It also
    closes stale connections each tick, which inside a test's transaction would close the test's own connection
    on PostgreSQL (Django's test client skips the same call for the same reason)."""
    monkeypatch.setattr("kintsugi.ops.management.commands.run_timers.close_old_connections", lambda: None)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)
