"""Experiment, not app code: queue SQLite writers on a blocking file lock instead of SQLite's busy handler.

SQLite lets one connection write at a time. A second writer's BEGIN IMMEDIATE fails with SQLITE_BUSY and the
busy handler retries after sleeping 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms..., so under steady write
load a waiter often sleeps long after the lock came free: throughput drops and p99 balloons. Here every write
transaction first takes an exclusive flock() on a file beside the database (and a thread lock, since flock is
per open file), and the kernel wakes the next writer the moment the current one releases it.

Served by `python bench/run.py --experiment serialised-writes` as bench.experiments.serialised_writes:application,
to measure what the app would gain from the same idea in its database setup. Transactions only: autocommit
writes outside atomic() still rely on the busy handler.
"""

from __future__ import annotations

import fcntl
import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base

_thread_lock = threading.Lock()
_fd: int | None = None
_local = threading.local()


def _lock_file() -> int:
    global _fd
    if _fd is None:
        from django.conf import settings

        path = str(settings.DATABASES["default"]["NAME"]) + ".writer-lock"
        _fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    return _fd


def _acquire() -> None:
    _thread_lock.acquire()
    try:
        fcntl.flock(_lock_file(), fcntl.LOCK_EX)
    except BaseException:
        _thread_lock.release()
        raise
    _local.held = True


def _release() -> None:
    if getattr(_local, "held", False):
        _local.held = False
        fcntl.flock(_lock_file(), fcntl.LOCK_UN)
        _thread_lock.release()


_start = base.DatabaseWrapper._start_transaction_under_autocommit
_commit = base.DatabaseWrapper._commit
_rollback = base.DatabaseWrapper._rollback


def _patched_start(self: Any) -> None:
    _acquire()
    try:
        _start(self)
    except BaseException:
        _release()
        raise


def _patched_commit(self: Any) -> None:
    try:
        _commit(self)
    finally:
        _release()


def _patched_rollback(self: Any) -> None:
    try:
        _rollback(self)
    finally:
        _release()


base.DatabaseWrapper._start_transaction_under_autocommit = _patched_start  # type: ignore[method-assign]
base.DatabaseWrapper._commit = _patched_commit  # type: ignore[method-assign]
base.DatabaseWrapper._rollback = _patched_rollback  # type: ignore[method-assign]

from kintsugi.wsgi import application  # noqa: E402

__all__ = ["application"]
