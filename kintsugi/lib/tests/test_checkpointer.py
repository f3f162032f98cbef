"""The background checkpointer: a file database's write-ahead log is copied back into the database by a thread
of its own, only when something was committed, and no request's transaction pays for it."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import wait_until
from kintsugi.lib import checkpointer
from kintsugi.lib.checkpointer import Checkpointer, on_connection_created, start_for, stop_all


@pytest.fixture(autouse=True)
def _stop_threads() -> object:
    yield
    stop_all()


def wal_database(path: Path) -> sqlite3.Connection:
    """A WAL database whose own connection never checkpoints: what is committed stays in the log."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    return db


def write_rows(db: sqlite3.Connection, n: int) -> None:
    db.execute("BEGIN")
    db.executemany("INSERT INTO note (body) VALUES (?)", [("x" * 500,) for _ in range(n)])
    db.execute("COMMIT")


def test_what_was_committed_reaches_the_database_file_without_the_writer_checkpointing(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = wal_database(path)
    write_rows(db, 10)
    before = path.stat().st_size
    write_rows(db, 2000)  # about 1 MB, in the log only
    assert path.stat().st_size == before

    thread = start_for(str(path), 0.01)
    assert thread is not None
    wait_until(lambda: thread.checkpoints >= 1)
    assert path.stat().st_size > before + 900_000
    # Nothing is left to copy: a checkpoint now finds every frame of the log already in the database.
    busy, frames, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert (busy, frames) == (0, copied)


def test_it_checkpoints_only_after_a_commit(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = wal_database(path)
    write_rows(db, 5)
    thread = start_for(str(path), 0.005)
    assert thread is not None
    wait_until(lambda: thread.checkpoints == 1)
    idle = thread.checkpoints
    # Many intervals pass with nothing committed: it only looked.
    threading.Event().wait(0.1)
    assert thread.checkpoints == idle

    write_rows(db, 5)
    wait_until(lambda: thread.checkpoints == idle + 1)


def test_one_thread_per_process_and_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = start_for(str(tmp_path / "a.sqlite3"), 1)
    assert start_for(str(tmp_path / "a.sqlite3"), 1) is first
    other = start_for(str(tmp_path / "b.sqlite3"), 1)
    assert other is not None
    assert other is not first
    # A forked web worker (another process id) does not have its parent's threads: it starts its own.
    monkeypatch.setattr("kintsugi.lib.checkpointer.os.getpid", lambda: -1)
    forked = start_for(str(tmp_path / "a.sqlite3"), 1)
    assert forked is not None
    assert forked is not first
    assert forked.is_alive()


def test_an_interval_of_zero_switches_it_off(tmp_path: Path) -> None:
    assert start_for(str(tmp_path / "a.sqlite3"), 0) is None
    assert not [key for key in checkpointer._running if key[1] == str(tmp_path / "a.sqlite3")]


def test_a_failing_checkpoint_is_logged_once_and_retried(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "not-a-database.sqlite3"
    path.write_bytes(b"this is not a database file" * 200)
    caplog.set_level(logging.WARNING, logger="kintsugi.lib.checkpointer")
    thread = Checkpointer(str(path), 0.005)
    thread.start()
    wait_until(lambda: len(caplog.records) >= 1)
    threading.Event().wait(0.05)  # several more failing intervals
    thread.stop()
    thread.join()
    assert len(caplog.records) == 1
    assert "not-a-database.sqlite3" in caplog.records[0].getMessage()


@pytest.mark.django_db
def test_the_tests_in_memory_database_starts_nothing() -> None:
    if connection.vendor == "sqlite":
        assert connection.is_in_memory_db()  # type: ignore[attr-defined]  # the sqlite3 backend's
    started = dict(checkpointer._running)
    on_connection_created(sender=None, connection=connection)
    assert checkpointer._running == started


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite settings")
def test_the_connections_own_checkpoints_are_only_a_safety_net() -> None:
    # With the background thread on, a commit checkpoints only a log of 10,000 pages, not SQLite's 1,000.
    assert settings.SQLITE_CHECKPOINT_INTERVAL > 0
    options = settings.DATABASES["default"].get("OPTIONS", {})
    assert isinstance(options, dict)
    assert "PRAGMA wal_autocheckpoint=10000;" in options["init_command"]
