"""Backups at scale (issue 26): a backup of --cases seeded cases taken while the create benchmark runs, and its restore.

    python bench/backup.py                     # 1,000,000 cases (seeding ~4 min), 60 s of load each way
    python bench/backup.py --cases 20000 --duration 10   # a smoke run

Targets: the backup in under 60 s while the create scenario keeps >= 80 % of its rate without a backup; the
restore (into a fresh data directory, migrations checked) in under 120 s. The create load is bench/run.py's own
(the same bodies, connections and server); the backup starts with the measured round, after its warm-up, and the
rate kept is the cases the load opened while the backup ran (counted in the database) over its seconds. Writes
bench/out/backup-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run as bench_run
from bench.harness import ROOT, ensure_wrk, log, machine_info, project_python

TARGETS = {"backup_s": 60.0, "rate_kept": 0.8, "restore_s": 120.0}


def manage(env: dict[str, str], *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    done = subprocess.run([project_python(), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=3600)
    return round(time.monotonic() - started, 2), done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds of create load, each way")
    options = parser.parse_args(argv)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    args = bench_run.parse_args(["--scenario", "create", "--duration", str(options.duration), "--rounds", "1",
                                 "--unloaded", "0", "--no-install", "--quiet-wait", "0"])
    report: dict[str, Any] = {"generated_at": stamp, "machine": machine_info(project_python()), "targets": TARGETS,
                              "cases": options.cases}
    runner = bench_run.Runner(args, stamp, ensure_wrk(allow_install=False), report)
    data = bench_run.new_data_dir(stamp, "backup")
    env = bench_run.bench_env(data)
    fixtures = bench_run.fixture(env, "setup")
    log(f"seeding {options.cases:,} cases")
    report["seeded"] = bench_run.fixture(env, "seed", "--cases", str(options.cases),
                                         "--open", str(min(4000, max(50, options.cases // 250))))
    bench_run.ensure_static(env)
    backup: dict[str, Any] = {}

    def last_case_id() -> int:
        with sqlite3.connect(f"file:{data / 'kintsugi.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
            return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM cases_case").fetchone()[0])

    def take_backup() -> None:
        # The cases the create load opened while the backup ran, counted by the database: the rate kept during
        # the backup itself (the load's own figure also covers its seconds before and after the backup).
        first = last_case_id()
        seconds, done = manage(env, "backup", "--to", str(data / "backups"))
        opened = last_case_id() - first
        backup.update(seconds=seconds, returncode=done.returncode, archive=done.stdout.strip(),
                      error=done.stderr[-2000:], cases_opened_meanwhile=opened,
                      create_rps_meanwhile=round(opened / seconds, 1) if seconds else 0.0)

    with runner.server(env, bench_run.server_config(args)) as server:
        baseline = runner.create(server, fixtures, name="create-baseline", duration=options.duration)
        thread = threading.Timer(args.warmup, take_backup)  # with the measured round, after the warm-up
        thread.start()
        during = runner.create(server, fixtures, name="create-during-backup", duration=options.duration)
        thread.join()
    if backup.get("returncode") != 0:
        raise SystemExit(f"the backup failed: {backup.get('error')}")
    archive = Path(backup["archive"])
    backup["archive_bytes"] = archive.stat().st_size
    restore_env = bench_run.bench_env(bench_run.new_data_dir(stamp, "restore"))
    restore_s, restored = manage(restore_env, "restore", str(archive))
    if restored.returncode != 0:
        raise SystemExit(f"the restore failed: {restored.stderr[-2000:]}")
    report.update(
        baseline={"rps": round(baseline.rps, 1), "p99_ms": round(baseline.latency_ms.get("p99", 0), 1)},
        during_backup={"rps": round(during.rps, 1), "p99_ms": round(during.latency_ms.get("p99", 0), 1)},
        backup=backup, restore={"seconds": restore_s, "output": restored.stdout.strip()},
    )
    kept = backup["create_rps_meanwhile"] / baseline.rps if baseline.rps else 0.0
    report["results"] = {
        "backup_s": {"measured": backup["seconds"], "met": backup["seconds"] < TARGETS["backup_s"]},
        "rate_kept": {"measured": round(kept, 3), "met": kept >= TARGETS["rate_kept"]},
        "restore_s": {"measured": restore_s, "met": restore_s < TARGETS["restore_s"]},
    }
    path = bench_run.OUT / f"backup-{stamp}.json"
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    log(f"backup of {options.cases:,} cases: {backup['seconds']} s ({backup['archive_bytes'] / 2**20:,.0f} MiB); "
        f"create {backup['create_rps_meanwhile']:,.0f} cases/s while it ran against {baseline.rps:,.0f} without "
        f"({kept:.0%}; {during.rps:,.0f} req/s over the whole round); "
        f"restore {restore_s} s; report {path}")
    return 0 if all(r["met"] for r in report["results"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
