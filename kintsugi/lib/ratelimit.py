"""A per-process sliding-window rate limiter, kept in memory: no database write and no Redis per request.

The window is the usual two-counter approximation: the previous fixed window's count, weighted by how much of it
still overlaps the sliding window, plus the current window's count. Refused hits are not counted, so a client that
waits for `Retry-After` gets in.

The state lives in one process. With N web workers each keeps its own counters, so a client spread over all of
them can make up to N x the limit; size the limit per worker.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable

__all__ = ["SlidingWindowLimiter"]


class SlidingWindowLimiter:
    """Counts hits per key in a sliding window of `window` seconds."""

    # Past this many keys, forget those idle for two windows (their counts no longer matter).
    MAX_KEYS = 10_000

    def __init__(self, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        # key -> [window index, previous window's count, current window's count]
        self._state: dict[Hashable, list[int]] = {}

    def hit(self, key: Hashable, limit: int, now: float | None = None) -> float:
        """Record one hit for `key`; 0 when allowed, else the seconds to wait (> 0). A limit <= 0 means none."""
        if limit <= 0:
            return 0.0
        now = self.clock() if now is None else now
        index = math.floor(now / self.window)
        elapsed = now - index * self.window
        with self._lock:
            state = self._state.get(key)
            if state is None:
                if len(self._state) >= self.MAX_KEYS:
                    self._prune(index)
                state = self._state[key] = [index, 0, 0]
            elif state[0] != index:
                state[1] = state[2] if state[0] == index - 1 else 0
                state[2] = 0
                state[0] = index
            previous, current = state[1], state[2]
            estimate = previous * (self.window - elapsed) / self.window + current
            if estimate + 1 <= limit:
                state[2] = current + 1
                return 0.0
        return self._wait(previous, current, limit, elapsed)

    def _wait(self, previous: int, current: int, limit: int, elapsed: float) -> float:
        remaining = self.window - elapsed
        # Still in this window: wait for the previous window's share to decay enough.
        if previous > 0 and current + 1 <= limit:
            wait = remaining - (limit - current - 1) * self.window / previous
            if wait < remaining:
                return max(wait, 1e-9)
        # In the next window this window's count becomes the decaying previous one.
        into_next = max(0.0, self.window * (1 - (limit - 1) / current)) if current else 0.0
        return remaining + into_next

    def _prune(self, index: int) -> None:
        stale = [key for key, state in self._state.items() if state[0] < index - 1]
        for key in stale:
            del self._state[key]

    def reset(self) -> None:
        with self._lock:
            self._state.clear()
