"""What a process keeps for a while: values read from the database that change rarely (SLA policies, the inbox's
filter choices, the bulk bar's people, the public form's touchpoints), each kept for at most `max_age` seconds
and then read again. Every web process keeps its own, so a change shows everywhere within that time; each user
states the staleness it accepts beside its `max_age`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

__all__ = ["Kept"]


class Kept[K: Hashable, V]:
    """Values by key, each kept `max_age` seconds from when it was read; at most `max_entries` of them (then it
    starts again, so keys seen once cannot grow it without bound)."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._items: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K, max_age: float, read: Callable[[], V | None]) -> V | None:
        """The value kept for `key` if it is at most `max_age` seconds old, else `read()`'s, kept from now on (a
        None is not kept: nothing found is looked for again next time)."""
        now = time.monotonic()
        kept = self._items.get(key)
        if kept is not None and now - kept[0] <= max_age:
            return kept[1]
        value = read()
        with self._lock:
            if value is None:
                self._items.pop(key, None)
            else:
                if len(self._items) >= self.max_entries:
                    self._items.clear()
                self._items[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
