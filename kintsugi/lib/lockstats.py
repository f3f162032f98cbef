"""The writer queue's counters file (kintsugi.lib.writelock): its layout and how to read it.

Standard library only, so the benchmark's orchestrator (which never imports Django) reads the files too.
"""

from __future__ import annotations

import struct
from dataclasses import astuple, dataclass
from pathlib import Path

__all__ = ["LAYOUT", "Counters", "read_counters"]

# A counters file: a sequence number, the six counters, the sequence number again (written last): a reader that
# finds the two different read it mid-update and reads again.
LAYOUT = struct.Struct("<8q")


@dataclass(frozen=True)
class Counters:
    """One process's writer-queue counters since it started (nanoseconds)."""

    holds: int = 0
    hold_wall_ns: int = 0
    hold_cpu_ns: int = 0
    hold_runqueue_ns: int = 0  # runnable, waiting for a core, while holding
    wait_wall_ns: int = 0  # waiting for the queue (the thread lock, then the file lock)
    waits_blocked: int = 0  # how many times the file lock was not free at once

    def __add__(self, other: Counters) -> Counters:
        return Counters(*(a + b for a, b in zip(self.values(), other.values(), strict=True)))

    def __sub__(self, other: Counters) -> Counters:
        return Counters(*(a - b for a, b in zip(self.values(), other.values(), strict=True)))

    def values(self) -> tuple[int, ...]:
        return astuple(self)


def read_counters(folder: Path) -> dict[int, Counters]:
    """The counters of every process that wrote some into `folder`, by process id."""
    found: dict[int, Counters] = {}
    for path in folder.glob("writelock-*.bin"):
        data = path.read_bytes()
        if len(data) < LAYOUT.size:
            continue
        for _attempt in range(100):
            first, *values, last = LAYOUT.unpack_from(data)
            if first == last:
                found[int(path.stem.removeprefix("writelock-"))] = Counters(*values)
                break
            data = path.read_bytes()
    return found
