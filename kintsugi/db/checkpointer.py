"""Checkpoint SQLite's write-ahead log from a background thread, not inside the transaction that fills it.

In WAL mode every commit appends pages to the log, and by default the commit that takes the log past 1,000
pages also copies the log back into the database file and syncs both to disk (the automatic checkpoint). That
transaction holds the database's only write lock all the while, so every writer queued behind it waits too.
On a database of a million cases, where the copied pages lie scattered over a 1.2 GB file, creating cases under
load had a p99 of 186-1,240 ms that way, and 45-54 ms with the checkpoints made here (docs/performance.md).

Instead, each web process (`enable()`, called by kintsugi.wsgi), when it opens a file database, starts one
daemon thread with a connection of its own. Every
`interval` seconds it asks SQLite whether anyone committed since it last looked (`PRAGMA data_version`, read
from shared memory, a few microseconds) and if so runs a PASSIVE checkpoint: it copies what it can without
waiting for readers or writers and never takes the write lock, and SQLite's C code releases the interpreter
lock while it works. A log checkpointed that often stays small, which also keeps readers' page lookups in it
cheap; a writer that finds it fully copied starts it again from the top.

That process's connections checkpoint in their commits only past 10,000 pages (`wal_autocheckpoint`, SQLite's
default is 1,000), as a safety net should the thread stop. Other processes (the task worker, the timer loop,
management commands) keep SQLite's default and start no thread: a lone bulk writer such as `load_demo` gains
nothing from it and pays for it (97 s against 68 s to load the demo, mostly the longer log it searches), and
the web processes' threads checkpoint what the others commit too. PostgreSQL and in-memory databases (the
tests') have no log: nothing starts.
"""

from __future__ import annotations

import atexit
import logging
import os
import sqlite3
import threading
from typing import Any

from django.conf import settings
from django.db.backends.signals import connection_created

__all__ = ["SAFETY_NET_PAGES", "Checkpointer", "disable", "enable", "on_connection_created", "start_for", "stop_all"]

log = logging.getLogger(__name__)

# Where a connection of a process with a checkpointer still checkpoints in its own commit.
SAFETY_NET_PAGES = 10_000
DISPATCH_UID = "kintsugi-wal-checkpointer"

_guard = threading.Lock()
# (process id, database path) -> its thread: threads do not survive a fork, so each forked web worker starts its own.
_running: dict[tuple[int, str], Checkpointer] = {}


class Checkpointer(threading.Thread):
    """A daemon thread that checkpoints one database's write-ahead log whenever it changed."""

    def __init__(self, path: str, interval: float) -> None:
        super().__init__(name=f"wal-checkpoint {os.path.basename(path)}", daemon=True)
        self.path = path
        self.interval = interval
        self.checkpoints = 0  # how many it ran, for the tests and the curious
        self._stop_event = threading.Event()

    def run(self) -> None:
        connection: sqlite3.Connection | None = None
        seen: Any = None
        failing = False
        while not self._stop_event.wait(self.interval):
            try:
                if connection is None:
                    # autocommit; never waits on a lock: a checkpoint that cannot run now runs next time
                    connection = sqlite3.connect(self.path, timeout=0, isolation_level=None, check_same_thread=False)
                version = connection.execute("PRAGMA data_version").fetchone()[0]
                if version == seen:
                    continue
                busy, _frames, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if not busy:
                    seen = version
                    self.checkpoints += 1
                failing = False
            except sqlite3.Error as error:
                if not failing:  # once per spell of failures, not every interval
                    log.warning("Background WAL checkpoint of %s failed: %s", self.path, error)
                failing = True
                if connection is not None:
                    connection.close()
                    connection = None
        if connection is not None:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()


def start_for(path: str, interval: float) -> Checkpointer | None:
    """The running checkpointer of this process for the database at `path`, started if need be (None when
    `interval` is 0: switched off)."""
    if interval <= 0:
        return None
    key = (os.getpid(), path)
    with _guard:
        thread = _running.get(key)
        if thread is None or not thread.is_alive():
            thread = _running[key] = Checkpointer(path, interval)
            thread.start()
    return thread


def enable() -> None:
    """From now on, every SQLite connection this process opens has the background checkpointer (the web
    processes call it; settings.SQLITE_CHECKPOINT_INTERVAL 0 leaves checkpoints to SQLite)."""
    connection_created.connect(on_connection_created, dispatch_uid=DISPATCH_UID)


def disable() -> None:
    connection_created.disconnect(dispatch_uid=DISPATCH_UID)


def on_connection_created(sender: object, connection: Any, **kwargs: object) -> None:
    """Django's connection_created signal: start the checkpointer of a file SQLite database (once per process)
    and leave the connection's own checkpoints as the safety net."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    if start_for(str(connection.settings_dict["NAME"]), float(getattr(settings, "SQLITE_CHECKPOINT_INTERVAL", 0))):
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")


def stop_all() -> None:
    """Stop this process's checkpointers and wait for them (at exit, and in tests)."""
    with _guard:
        threads = [thread for (pid, _path), thread in _running.items() if pid == os.getpid()]
        _running.clear()
    for thread in threads:
        thread.stop()
    for thread in threads:
        thread.join()


# A checkpoint under way finishes before the interpreter goes (a no-op where none was started).
atexit.register(stop_all)
