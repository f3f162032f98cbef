"""The background checkpointer: a file database's write-ahead log is copied back into the database by a thread
of its own, only when something was committed, and no request's transaction pays for it."""

from __future__ import annotations

import importlib
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from conftest import wait_until
from kintsugi.db import checkpointer
from kintsugi.db.checkpointer import (
    SAFETY_NET_PAGES,
    Checkpointer,
    disable,
    enable,
    on_connection_created,
    start_for,
    stop_all,
)


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
    monkeypatch.setattr("kintsugi.db.checkpointer.os.getpid", lambda: -1)
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
    caplog.set_level(logging.WARNING, logger="kintsugi.db.checkpointer")
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


def file_connection(path: Path) -> Any:
    """A new Django connection to an SQLite file, opened (so connection_created is sent)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    if connection.vendor != "sqlite":
        settings_dict.update(ENGINE="django.db.backends.sqlite3", OPTIONS={})
    wrapper = DatabaseWrapper(settings_dict, alias="checkpointer-test")
    wrapper.ensure_connection()
    return wrapper


def autocheckpoint(wrapper: Any) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_a_web_process_checkpoints_in_the_background_and_its_commits_only_past_the_safety_net(
    tmp_path: Path,
) -> None:
    path = tmp_path / "web.sqlite3"
    enable()
    try:
        wrapper = file_connection(path)
    finally:
        disable()
    try:
        assert (os.getpid(), str(path)) in checkpointer._running
        assert autocheckpoint(wrapper) == SAFETY_NET_PAGES
    finally:
        wrapper.close()


@pytest.mark.django_db
def test_other_processes_keep_sqlites_own_checkpoints(tmp_path: Path) -> None:
    # The task worker, the timers, load_demo: no enable(), so no thread and SQLite's default of 1,000 pages.
    disable()
    path = tmp_path / "worker.sqlite3"
    wrapper = file_connection(path)
    try:
        assert not [key for key in checkpointer._running if key[1] == str(path)]
        assert autocheckpoint(wrapper) == 1000
    finally:
        wrapper.close()


def test_the_web_application_enables_it() -> None:
    from django.db.backends.signals import connection_created

    from kintsugi import wsgi

    disable()
    importlib.reload(wsgi)  # what a web worker does: import it
    try:
        assert on_connection_created in [receiver() for _key, receiver, *_rest in connection_created.receivers]
    finally:
        disable()
