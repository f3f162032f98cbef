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
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["serialised_writes"]

_guard = threading.Lock()
_thread_locks: dict[str, threading.Lock] = {}
# (process id, lock file) -> descriptor: flock() is per open file, so each process (granian forks its workers)
# opens its own; the threads of one process share it behind the thread lock.
_files: dict[tuple[int, str], int] = {}
# The lock paths this thread holds, so that holding one again is a no-op instead of a deadlock.
_holding = threading.local()


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
    with lock:
        held.add(path)
        try:
            if fd is None:
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            held.discard(path)
