"""A typed registry: keys to values, each key registered once.

The core keeps a registry where other apps plug in (the timeline's describers, kintsugi.cases.timeline); each app
fills it from its own AppConfig.ready(). Registering a key twice is a mistake (two apps claiming one event kind,
or one app registering twice) and is refused at start-up rather than letting the last one silently win.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator


class AlreadyRegistered(ValueError):
    """The key has a value in the registry already."""


class Registry[K: Hashable, V]:
    """Keys to values, filled once at start-up: `register(key, value)`, then `get`, `in` and iteration (keys, in
    the order they were registered)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[K, V] = {}

    def register(self, key: K, value: V) -> V:
        """Add `key`; refused (AlreadyRegistered) when it has a value already. Returns `value`."""
        if key in self._entries:
            raise AlreadyRegistered(
                f"{self.name}: {key!r} is registered already (to {self._entries[key]!r}); refusing {value!r}"
            )
        self._entries[key] = value
        return value

    def get(self, key: K) -> V | None:
        """The value registered for `key`, or None."""
        return self._entries.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[K]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self._entries)} entries>"
