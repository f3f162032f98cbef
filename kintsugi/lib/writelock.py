"""Queue a process's big write transactions in the kernel, not in SQLite's busy handler.

SQLite lets one connection write at a time. A writer that finds the lock taken sleeps in SQLite's busy handler
(1, 2, 5, 10, 15, 20, 25 ms... between tries) and often wakes long after the lock came free, while the process
that just committed takes the lock again at once: under steady write load the waiter starves and its requests'
latency runs into hundreds of milliseconds. `serialised_writes()` puts the writers that use it in a queue
instead: a thread lock within the process, then an exclusive flock() on a file beside the database, which the
kernel hands to the next waiter the moment it is released. Correctness never depends on it: SQLite's own lock
still guards every transaction, and writers that do not use this helper still queue on the busy handler.

A thread that already holds the queue may enter `serialised_writes()` again (a group commit's leader takes it
before it collects its batch, and the batch's own writer asks for it too): the inner block just runs.

PostgreSQL has row locks and no database-wide write lock, so there this does nothing.

With `WRITE_LOCK_STATS` set to a folder (the benchmark does), each process counts how long its writers waited
for the queue and held it: wall time, the holder's CPU time, and the time it spent runnable but waiting for a
core (Linux's run delay). The counters live in a small file per process, `writelock-<pid>.bin`
(kintsugi.lib.lockstats), rewritten in place after every hold, so a reader sees them exactly at any moment.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from kintsugi.lib.lockstats import LAYOUT

__all__ = ["serialised_writes"]

_guard = threading.Lock()
_thread_locks: dict[str, threading.Lock] = {}
# (process id, lock file) -> descriptor: flock() is per open file, so each process (granian forks its workers)
# opens its own; the threads of one process share it behind the thread lock.
_files: dict[tuple[int, str], int] = {}
# The lock paths this thread holds, so that holding one again is a no-op instead of a deadlock.
_holding = threading.local()


def _run_delay_ns() -> int:
    """This thread's time spent runnable but not running, from the kernel's scheduler statistics (0 elsewhere)."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as stats:
            return int(stats.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


class _Recorder:
    """This process's counters, kept in its counters file (mapped in memory, so an update is a memory write)."""

    def __init__(self, folder: str) -> None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        fd = os.open(Path(folder) / f"writelock-{os.getpid()}.bin", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.ftruncate(fd, LAYOUT.size)
            self._map = mmap.mmap(fd, LAYOUT.size)
        finally:
            os.close(fd)
        self._counts = [0] * 6
        self._sequence = 0

    def add(self, wait_ns: int, blocked: bool, wall_ns: int, cpu_ns: int, runqueue_ns: int) -> None:
        # Called by the holder only, so updates never race.
        counts = self._counts
        counts[0] += 1
        counts[1] += wall_ns
        counts[2] += cpu_ns
        counts[3] += runqueue_ns
        counts[4] += wait_ns
        counts[5] += blocked
        self._sequence += 1
        LAYOUT.pack_into(self._map, 0, self._sequence, *counts, 0)  # "mid-update" until the last field is written
        struct.pack_into("<q", self._map, LAYOUT.size - 8, self._sequence)


_recorders: dict[int, _Recorder | None] = {}  # by process id: a forked worker starts its own file


def _recorder() -> _Recorder | None:
    pid = os.getpid()
    if pid not in _recorders:
        with _guard:
            if pid not in _recorders:
                folder = settings.WRITE_LOCK_STATS
                _recorders[pid] = _Recorder(folder) if folder else None
    return _recorders[pid]


def _take(fd: int) -> bool:
    """Take the file lock, waiting for it if need be; whether another process held it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return True


def _lock_for(path: str) -> tuple[threading.Lock, int | None]:
    with _guard:
        lock = _thread_locks.setdefault(path, threading.Lock())
        if not path:
            return lock, None
        key = (os.getpid(), path)
        fd = _files.get(key)
        if fd is None:
            fd = _files[key] = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return lock, fd


@contextmanager
def serialised_writes(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Hold the database's writer queue for the duration of the block (open the transaction inside it)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    # An in-memory database (the tests') lives in this process only: the thread lock is all the queue it needs.
    in_memory: bool = connection.is_in_memory_db()  # type: ignore[attr-defined]  # the sqlite3 backend's
    # Named like SQLite's own -wal and -shm files beside the database.
    path = "" if in_memory else f"{connection.settings_dict['NAME']}-write-lock"
    held: set[str] = _holding.__dict__.setdefault("paths", set())
    if path in held:
        yield
        return
    lock, fd = _lock_for(path)
    recorder = _recorder() if fd is not None else None
    started = time.perf_counter_ns() if recorder is not None else 0
    with lock:
        held.add(path)
        try:
            if fd is None:
                yield
                return
            blocked = _take(fd)
            if recorder is not None:
                taken, cpu, delay = time.perf_counter_ns(), time.thread_time_ns(), _run_delay_ns()
            try:
                yield
            finally:
                if recorder is not None:
                    wall, cpu, delay = (time.perf_counter_ns() - taken, time.thread_time_ns() - cpu,
                                        _run_delay_ns() - delay)
                fcntl.flock(fd, fcntl.LOCK_UN)
                if recorder is not None:
                    recorder.add(taken - started, blocked, wall, cpu, delay)
        finally:
            held.discard(path)
