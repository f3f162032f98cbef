"""serialised_writes: one writer at a time across processes, through a lock file beside the SQLite database."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from kintsugi.lib.writelock import serialised_writes

# Exits 3 if another process holds the lock file, 0 if it could take it.
TRY_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    sys.exit(3)
"""


def other_process_can_lock(path: Path) -> bool:
    return subprocess.run([sys.executable, "-c", TRY_LOCK, str(path)], check=False).returncode == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL needs no writer queue")
def test_a_file_database_is_locked_for_other_processes_while_a_block_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kintsugi.sqlite3"
    monkeypatch.setitem(connection.settings_dict, "NAME", str(database))
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    lock_file = tmp_path / "kintsugi.sqlite3-write-lock"

    with serialised_writes():
        assert lock_file.exists()
        assert not other_process_can_lock(lock_file)

    assert other_process_can_lock(lock_file)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL needs no writer queue")
def test_the_lock_is_released_when_the_block_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "kintsugi.sqlite3"))
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)

    with pytest.raises(RuntimeError), serialised_writes():
        raise RuntimeError("the transaction failed")

    assert other_process_can_lock(tmp_path / "kintsugi.sqlite3-write-lock")
    with serialised_writes():  # and this process can take it again
        pass


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL needs no writer queue")
def test_a_thread_holding_the_queue_may_enter_it_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "kintsugi.sqlite3"))
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    lock_file = tmp_path / "kintsugi.sqlite3-write-lock"

    with serialised_writes():
        with serialised_writes():  # would wait for itself forever without the re-entry check
            assert not other_process_can_lock(lock_file)
        assert not other_process_can_lock(lock_file)  # still held: only the outer block releases it

    assert other_process_can_lock(lock_file)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL needs no writer queue")
def test_another_thread_waits_for_the_queue() -> None:
    order: list[str] = []

    def other() -> None:
        with serialised_writes():
            order.append("other")

    with serialised_writes():
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(0.2)  # give it time to (wrongly) get in
        order.append("holder")
    thread.join(5)

    assert order == ["holder", "other"]
