"""The benchmark's write-lock figures: what the server's processes counted (kintsugi.lib.writelock) between the
start and the end of a round, summed over the processes, per request."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

from bench import summary
from bench.harness import LoadResult, WriteLockMeter


def write_counters(folder: Path, pid: int, sequence: int, *counts: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"writelock-{pid}.bin").write_bytes(struct.pack("<8q", sequence, *counts, sequence))


def test_a_round_reports_the_lock_held_by_all_the_processes_per_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = iter([100.0, 102.0])  # the round lasts 2 s
    monkeypatch.setattr(time, "monotonic", lambda: next(clock, 102.0))
    # Two workers had written before the round; a third process starts during it.
    write_counters(tmp_path, 11, 5, 10, 4_000_000, 2_000_000, 1_000_000, 3_000_000, 2)
    write_counters(tmp_path, 12, 9, 20, 6_000_000, 3_000_000, 1_000_000, 1_000_000, 4)
    meter = WriteLockMeter(tmp_path).start()
    # During the round: 100 holds in all, 600 ms held, 300 ms of it computing, 120 ms waiting for a core.
    write_counters(tmp_path, 11, 6, 70, 364_000_000, 182_000_000, 73_000_000, 183_000_000, 22)
    write_counters(tmp_path, 12, 10, 50, 206_000_000, 103_000_000, 37_000_000, 41_000_000, 14)
    write_counters(tmp_path, 13, 1, 10, 40_000_000, 20_000_000, 12_000_000, 20_000_000, 4)

    lock = meter.stop(requests=500)

    assert lock is not None
    assert lock["holds"] == 100
    assert lock["requests_per_hold"] == 5.0
    assert lock["held_us_per_request"] == {"wall": 1200.0, "cpu": 600.0, "waiting_for_a_core": 240.0}
    assert lock["queued_us_per_request"] == 480.0
    assert lock["holds_that_waited_for_another_process"] == 0.34
    assert lock["busy"] == 0.3  # 0.6 s held in 2 s
    # Over the load's own duration when it is known (the generator's start-up is not counted).
    assert meter.stop(requests=500, seconds=1.5)["busy"] == 0.4  # type: ignore[index]


def test_a_round_without_writes_reports_nothing(tmp_path: Path) -> None:
    write_counters(tmp_path, 11, 5, 10, 4_000_000, 2_000_000, 1_000_000, 3_000_000, 2)
    meter = WriteLockMeter(tmp_path).start()

    assert meter.stop(requests=800) is None
    assert WriteLockMeter(tmp_path / "never-written").start().stop(requests=800) is None


def test_the_report_carries_the_lock_with_the_round() -> None:
    result = LoadResult(tool="wrk", duration_s=12, connections=16, requests=12_000, rps=1000.0,
                        latency_ms={"p50": 14.0, "p99": 30.0}, errors={}, statuses={"201": 12_000}, bytes_read=0,
                        write_lock={"busy": 0.8})

    assert result.brief()["write_lock_busy"] == 0.8
    assert result.as_dict()["write_lock"] == {"busy": 0.8}
    result.write_lock = None
    assert "write_lock" not in result.as_dict()
    assert "write_lock_busy" not in result.brief()


def test_the_summary_tables_the_lock_of_the_write_scenarios_only() -> None:
    lock = {"busy": 0.8, "holds": 2_000, "requests_per_hold": 5.5,
            "held_us_per_request": {"wall": 625.0, "cpu": 400.0, "waiting_for_a_core": 150.0},
            "queued_us_per_request": 700.0, "holds_that_waited_for_another_process": 0.9}
    report = {"scenarios": {"create": {"write_lock": lock}, "inbox": {}}}

    table = summary.write_lock(report).splitlines()

    assert len(table) == 3
    assert table[2] == "| create | 80% | 5.5 | 625 | 400 | 150 | 700 | 1,600 |"
    assert summary.write_lock({"scenarios": {"inbox": {}}}) == ""
