"""Queue a process's write transactions in the kernel, not in SQLite's busy handler.

SQLite lets one connection write at a time. A writer that finds the lock taken sleeps in SQLite's busy handler
(1, 2, 5, 10, 15, 20, 25 ms... between tries) and often wakes long after the lock came free, while the process
that just committed takes the lock again at once: under steady write load the waiter starves and its requests'
latency runs into hundreds of milliseconds. The backend (kintsugi.db.sqlite) takes this queue when it begins a
transaction and leaves it when the transaction ends: a thread lock within the process, then an exclusive flock()
on a file beside the database, which the kernel hands to the next waiter the moment it is released. Correctness
never depends on it: SQLite's own lock still guards every transaction.
"""

from __future__ import annotations

import fcntl
import os
import threading

__all__ = ["WriterQueue"]

_guard = threading.Lock()
_queues: dict[tuple[int, str], WriterQueue] = {}


class WriterQueue:
    """The queue of one database file in one process (flock() is per open file: each forked worker opens its own)."""

    def __init__(self, path: str) -> None:
        self._lock = threading.Lock()
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    @classmethod
    def of(cls, database: str) -> WriterQueue:
        key = (os.getpid(), database)
        with _guard:
            queue = _queues.get(key)
            if queue is None:
                # Named like SQLite's own -wal and -shm files beside the database.
                queue = _queues[key] = cls(f"{database}-write-lock")
        return queue

    def enter(self) -> None:
        self._lock.acquire()
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._lock.release()
            raise

    def leave(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._lock.release()
