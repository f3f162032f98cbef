"""serialised_writes: one writer at a time across processes, through a lock file beside the SQLite database."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from kintsugi.lib import writelock
from kintsugi.lib.lockstats import Counters, read_counters
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


# ------------------------------------------------------------------------------------------ counters

# Holds the lock file for the given seconds once it has it, after printing "held".
HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Path:
    """A file database whose writer queue is counted into a folder of its own."""
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "kintsugi.sqlite3"))
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    monkeypatch.setattr(writelock, "_recorders", {})
    settings.WRITE_LOCK_STATS = str(tmp_path / "stats")
    return tmp_path / "stats"


def burn(seconds: float) -> None:
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL needs no writer queue")
def test_a_hold_is_counted_with_its_wall_time_and_the_holders_cpu(counted: Path) -> None:
    with serialised_writes():
        burn(0.03)
        time.sleep(0.05)  # holding, but neither computing nor waiting for a core
    with serialised_writes():
        pass

    (pid, counters), = read_counters(counted).items()

    assert pid == os.getpid()
    assert counters.holds == 2
    assert counters.waits_blocked == 0
    assert 0.08e9 <= counters.hold_wall_ns < 5e9
    assert 0.03e9 <= counters.hold_cpu_ns <= counters.hold_wall_ns - 0.045e9
    assert 0 <= counters.hold_runqueue_ns <= counters.hold_wall_ns


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL needs no writer queue")
def test_waiting_for_another_process_is_counted_as_a_blocked_wait(counted: Path, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / "kintsugi.sqlite3-write-lock"), "0.3"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with serialised_writes():
            pass
    finally:
        holder.wait(10)

    counters = read_counters(counted)[os.getpid()]
    assert (counters.holds, counters.waits_blocked) == (1, 1)
    assert counters.wait_wall_ns >= 0.15e9


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL needs no writer queue")
def test_nothing_is_counted_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "kintsugi.sqlite3"))
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    monkeypatch.setattr(writelock, "_recorders", {})
    settings.WRITE_LOCK_STATS = ""

    with serialised_writes():
        pass

    assert sorted(path.name for path in tmp_path.iterdir()) == ["kintsugi.sqlite3-write-lock"]


def test_counters_caught_mid_update_are_not_reported(tmp_path: Path) -> None:
    whole = struct.pack("<8q", 7, 3, 300, 200, 50, 40, 1, 7)
    torn = struct.pack("<8q", 8, 4, 400, 200, 50, 40, 1, 7)  # the writer had not yet written the closing number
    (tmp_path / "writelock-101.bin").write_bytes(whole)
    (tmp_path / "writelock-102.bin").write_bytes(torn)
    (tmp_path / "writelock-103.bin").write_bytes(b"")  # a process that had just created its file

    assert read_counters(tmp_path) == {101: Counters(3, 300, 200, 50, 40, 1)}


def test_counters_add_and_subtract_field_by_field() -> None:
    before, after = Counters(1, 10, 5, 2, 7, 0), Counters(4, 50, 20, 6, 9, 1)

    assert after - before == Counters(3, 40, 15, 4, 2, 1)
    assert before + (after - before) == after
