"""The email benchmark (issue 19, section 5): 10,000 queued mails read by the real worker, and a kill -9 half-way.

    python bench/emails.py                 # 10,000 mails: 3 uninterrupted rounds, alongside, kill (~6 min)
    python bench/emails.py --quick         # smoke run: 1,000 mails, one round of each
    python bench/emails.py --rounds 1 --no-kill
    BENCH_PYSPY=/tmp/prof/bin/py-spy python bench/emails.py --profile   # sample the worker of the first round

Each round gets a fresh data directory under bench/out/ (DEBUG off, a fixed SECRET_KEY): the organisation of
bench/fixtures.py, one mailbox, and the same mails (bench/mailcorpus.py: Vietnamese, Thai and English; plain, legacy
charsets, text + HTML, HTML only; photos and PDFs; replies naming an earlier mail of the run and quoting it; out of
office answers and bounces) stored raw with `store_payloads`, 100 a call, as a mailbox poll stores them. Then
`--workers` (2, as scripts/run.sh starts them) `manage.py db_worker` processes start and the clock runs until no
payload is pending.

  steady     the workers alone, until nothing is pending: mails/s (target >= 170, issue 19).
  alongside  the same while granian takes new cases from the API and then the public form, driven by wrk as in
             bench/run.py: their throughput and latency, and the mails read meanwhile.
  kill       the same as steady, but the workers' process groups get SIGKILL once half the mails are taken; then
             they restart with the timer loop (`manage.py run_timers`, INBOUND_GRACE_S short) that hands out again
             the payloads whose task died with them. Checked: nothing lost (every payload done or ignored), nothing
             taken twice (each Message-ID on one inbound message; no more cases than the customers who wrote), and
             every mail ended as it did in the uninterrupted round.

Writes bench/out/email-<timestamp>.json (full runs also bench/results/email-latest.json). The machine is shared:
every round records the load average and the cores the worker and everything else used.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, pyspy
from bench import run as bench_run
from bench.harness import (
    BENCH,
    ROOT,
    CpuMeter,
    cpu_speed,
    ensure_wrk,
    log,
    machine_info,
    niced,
    project_python,
    run_json,
    stop_group,
)

TARGET_MAILS_PER_S = 170.0
OUT = bench_run.OUT


@dataclass
class Proc:
    """A manage.py process in its own session (so its group is exactly it), its output in a log file."""

    name: str
    proc: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill9(self) -> None:
        stop_group(self.proc, sig=signal.SIGKILL, timeout=30)

    def stop(self) -> int | None:
        stop_group(self.proc, timeout=30)
        return self.proc.returncode


def start(name: str, env: dict[str, str], log_dir: Path, *args: str) -> Proc:
    log_file = (log_dir / f"{name}.log").open("ab")
    proc = subprocess.Popen(niced([project_python(), *args]), cwd=ROOT, env=env, stdout=log_file,
                            stderr=subprocess.STDOUT, start_new_session=True)
    log_file.close()
    return Proc(name, proc)


def django(env: dict[str, str], *args: str, timeout: float = 1800) -> dict[str, Any]:
    """bench/mailfixtures.py with the data directory's environment; its last stdout line is JSON."""
    return run_json("mailfixtures.py", env, *args, timeout=timeout)


class Payloads:
    """The payloads' statuses, read straight from the SQLite file (read-only, WAL: never in the worker's way)."""

    def __init__(self, database: Path) -> None:
        self.db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM intake_inboundpayload GROUP BY status").fetchall()
        return {status: int(n) for status, n in rows}

    def lost_tasks(self) -> int:
        """Task rows left RUNNING by a worker that died: django-tasks-db never hands them out again."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'").fetchone()
        return int(row[0])

    def close(self) -> None:
        self.db.close()


def load_now() -> dict[str, Any]:
    one, five, fifteen = os.getloadavg()
    return {"loadavg": [round(one, 2), round(five, 2), round(fifteen, 2)],
            "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}


def wait_until(payloads: Payloads, done_when: Callable[[dict[str, int]], bool], *, timeout: float,
               poll: float = 0.1) -> tuple[float, dict[str, int]]:
    """Poll until done_when(counts) holds; (the monotonic time it held, the counts)."""
    deadline = time.monotonic() + timeout
    while True:
        counts = payloads.counts()
        if done_when(counts):
            return time.monotonic(), counts
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:g} s waiting for the worker: {counts}")
        time.sleep(poll)


class Bench:
    def __init__(self, args: argparse.Namespace, stamp: str) -> None:
        self.args = args
        self.stamp = stamp
        self.data_dirs: list[Path] = []
        self.run_dir = OUT / f"email-{stamp}"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.corpus: Path = OUT / "mail-corpus.pickle"
        self.mails = 0
        self.fixtures: dict[str, Any] = {}

    def prepare_corpus(self) -> dict[str, Any]:
        """Generate the mails once (cached under bench/out/ by size, seed and the generator's source)."""
        env = bench_run.bench_env(OUT)
        source = (BENCH / "mailcorpus.py").read_bytes() + (BENCH / "corpus.py").read_bytes()
        key = f"{self.args.mails}-{self.args.seed}-{hashlib.sha256(source).hexdigest()[:12]}"
        self.corpus = OUT / f"mail-corpus-{key}.pickle"
        info = django(env, "corpus", "--mails", str(self.args.mails), "--seed", str(self.args.seed),
                      "--out", str(self.corpus))
        self.mails = int(info["mails"])
        log(f"corpus: {info['mails']:,} mails, {info['bytes'] / 2**20:,.0f} MiB ({info['generated_s']} s): "
            f"{info['kinds']}")
        return info

    def fresh(self, name: str) -> tuple[Path, dict[str, str], dict[str, Any]]:
        """A new data directory with the organisation, its mailbox and every mail stored (queued)."""
        data_dir = bench_run.new_data_dir(self.stamp, name)
        self.data_dirs.append(data_dir)
        env = bench_run.bench_env(data_dir)
        if self.args.inbound_batch:
            env["INBOUND_BATCH"] = str(self.args.inbound_batch)
        self.fixtures = bench_run.fixture(env, "setup")
        django(env, "mailbox")
        stored = django(env, "store", "--corpus", str(self.corpus), "--batch", str(self.args.store_batch))
        if stored["stored"] != self.mails or stored["redelivery_stored"] != 0:
            raise RuntimeError(f"storing the mails went wrong: {stored}")
        log(f"{name}: {stored['stored']:,} mails stored in {stored['store_s']} s "
            f"({stored['store_mails_per_s']:,.0f} mails/s); a redelivery of {stored['redelivered']} stored "
            f"{stored['redelivery_stored']}")
        return data_dir, env, stored

    def check(self, env: dict[str, str], name: str) -> dict[str, Any]:
        return django(env, "check", "--corpus", str(self.corpus), "--out", str(self.run_dir / f"{name}.outcomes.json"))

    def steady(self, round_no: int, profile: bool) -> dict[str, Any]:
        name = f"steady-{round_no}"
        data_dir, env, stored = self.fresh(name)
        payloads = Payloads(data_dir / "kintsugi.sqlite3")
        before = load_now()
        calibration = cpu_speed(project_python())
        started = time.monotonic()
        workers = self.workers(name, env)
        pids = [worker.pid for worker in workers]
        meter = CpuMeter(pids).start()
        recorders = pyspy.start(pids, self.args.profile_seconds, self.run_dir, name) if profile else []
        try:
            first, _counts = wait_until(payloads, lambda c: c.get("pending", 0) < self.mails, timeout=120, poll=0.05)
            ended, counts = wait_until(payloads, lambda c: not c.get("pending"), timeout=self.args.timeout)
            cpu = meter.stop()
        finally:
            for worker in workers:
                worker.stop()
        profile_summary = pyspy.finish(recorders) if recorders else None
        seconds = ended - started
        result = self.check(env, name)
        payloads.close()
        record = self.record(name, seconds, result, stored=stored, cpu=cpu, load_before=before,
                             load_after=load_now(), calibration_ms=calibration,
                             startup_s=round(first - started, 2), counts_at_end=counts)
        if profile_summary:
            record["profile"] = profile_summary
        return record

    def workers(self, name: str, env: dict[str, str]) -> list[Proc]:
        """`--workers` db_worker processes, as scripts/run.sh starts them (TASK_WORKERS)."""
        return [start(f"{name}-worker{n + 1}", env, self.run_dir, "manage.py", "db_worker")
                for n in range(self.args.workers)]

    def alongside(self) -> dict[str, Any]:
        """The mails read while the public form and the API take new cases on the same database (issue 19: the
        create targets of the earlier issues still met): granian serves them as in bench/run.py, wrk drives
        each in turn while the worker reads the queued mails."""
        name = "alongside"
        data_dir, env, stored = self.fresh(name)
        fixtures = self.fixtures
        bench_run.ensure_static(env)  # the public form's page names static files (DEBUG off: the manifest)
        payloads = Payloads(data_dir / "kintsugi.sqlite3")
        load_args = bench_run.parse_args(["--quick", "--duration", str(self.args.load_duration), "--rounds", "1",
                                          "--unloaded", "0", "--quiet-wait", "0", "--nice", str(self.args.nice)])
        wrk = ensure_wrk(allow_install=True)
        runner = bench_run.Runner(load_args, f"{self.stamp}-{name}", wrk, {})
        loads: dict[str, Any] = {}
        with runner.server(env, bench_run.server_config(load_args)) as server:
            started = time.monotonic()
            workers = self.workers(name, env)
            try:
                for scenario, drive in (("create", runner.create), ("public-form", runner.public_form)):
                    before, at = payloads.counts(), time.monotonic()
                    load = drive(server, fixtures)
                    after, until = payloads.counts(), time.monotonic()
                    read = before.get("pending", 0) - after.get("pending", 0)
                    loads[scenario] = {**bench_run.scenario_record(load, server.config),
                                       "mails_read_meanwhile": read,
                                       "mails_per_s_meanwhile": round(read / (until - at), 1)}
                    log(f"{name}: {scenario} {load.rps:,.0f} req/s, p99 {load.latency_ms.get('p99', 0):.1f} ms "
                        f"while the worker read {read:,} mails ({read / (until - at):,.0f} mails/s)")
                ended, counts = wait_until(payloads, lambda c: not c.get("pending"), timeout=self.args.timeout)
            finally:
                for worker in workers:
                    worker.stop()
        result = self.check(env, name)
        payloads.close()
        record = self.record(name, ended - started, result, stored=stored, counts_at_end=counts)
        record["loads"] = loads
        return record

    def kill(self) -> dict[str, Any]:
        name = "kill"
        data_dir, env, stored = self.fresh(name)
        payloads = Payloads(data_dir / "kintsugi.sqlite3")
        before = load_now()
        started = time.monotonic()
        workers = self.workers(name, env)
        threshold = self.mails * self.args.kill_at
        try:
            at_kill, counts = wait_until(payloads, lambda c: self.mails - c.get("pending", 0) >= threshold,
                                         timeout=self.args.timeout, poll=0.02)
            for worker in workers:
                worker.kill9()
        finally:
            for worker in workers:
                worker.stop()
        killed = payloads.counts()
        running = payloads.lost_tasks()
        log(f"kill: SIGKILL after {at_kill - started:.1f} s with {self.mails - counts.get('pending', 0):,} taken; "
            f"after it {killed.get('pending', 0):,} pending, {running} task(s) left running by the dead worker")
        restart_env = {**env, "INBOUND_GRACE_S": str(self.args.grace), "TIMER_TICK_SECONDS": str(self.args.tick)}
        restarted = time.monotonic()
        workers = self.workers(f"{name}-again", restart_env)
        timers = start(f"{name}-timers", restart_env, self.run_dir, "manage.py", "run_timers")
        meter = CpuMeter([*(worker.pid for worker in workers), timers.pid]).start()
        try:
            ended, final = wait_until(payloads, lambda c: not c.get("pending"), timeout=self.args.timeout)
            cpu = meter.stop()
        finally:
            for worker in [*workers, timers]:
                worker.stop()
        result = self.check(env, name)
        payloads.close()
        record = self.record(name, ended - started, result, stored=stored, cpu=cpu, load_before=before,
                             load_after=load_now(), counts_at_end=final)
        record["kill"] = {
            "killed_after_s": round(at_kill - started, 2),
            "taken_when_killed": self.mails - counts.get("pending", 0),
            "pending_after_kill": killed.get("pending", 0),
            "tasks_left_running": running,
            "restart_to_done_s": round(ended - restarted, 2),
            "grace_s": self.args.grace,
            "timer_tick_s": self.args.tick,
            "note": "seconds and mails_per_s of this round include the kill, the restart and the grace period",
        }
        return record

    def inprocess(self) -> dict[str, Any]:
        """The pipeline run in one process without the worker: CPU and queries per payload, and a cProfile."""
        _data_dir, env, _stored = self.fresh("inprocess")
        result = django(env, "inprocess", "--out", str(self.run_dir / "inprocess.profile.txt"))
        log(f"in-process: {result['cpu_ms_per_payload']} ms of CPU and {result['queries_per_payload']} queries a "
            f"payload; by step (ms a payload): {result['steps_ms_per_payload']}; cProfile: {result['profile']}")
        return result

    def record(self, name: str, seconds: float, result: dict[str, Any], **extra: Any) -> dict[str, Any]:
        rate = self.mails / seconds if seconds else 0.0
        record = {"phase": name, "mails": self.mails, "seconds": round(seconds, 2), "mails_per_s": round(rate, 1),
                  **{k: result[k] for k in ("opened", "appended", "ignored", "failed", "lost", "duplicated")},
                  "check": result, **extra}
        cores = extra.get("cpu", {}).get("server_cores") if name.startswith("steady") else None
        if cores:
            # The worker's CPU a mail hardly moves when others share the machine; what one idle core would do.
            cpu_ms = cores * seconds * 1000 / self.mails
            record["worker_cpu_ms_per_mail"] = round(cpu_ms, 2)
            record["projection_one_idle_core_mails_per_s"] = round(1000 / cpu_ms, 1)
        log(f"{name}: {self.mails:,} mails in {seconds:.1f} s = {rate:,.0f} mails/s; opened {result['opened']:,}, "
            f"appended {result['appended']:,}, ignored {result['ignored']:,}, failed {result['failed']:,}, "
            f"lost {result['lost']}, duplicated {result['duplicated']}; cores: worker "
            f"{extra.get('cpu', {}).get('server_cores')}, other {extra.get('cpu', {}).get('other_cores')}"
            + (f"; worker CPU {record['worker_cpu_ms_per_mail']} ms a mail" if cores else ""))
        return record


def same_outcomes(run_dir: Path, a: str, b: str) -> dict[str, Any]:
    """Whether every mail ended the same way (status and reason) in rounds a and b."""
    first = json.loads((run_dir / f"{a}.outcomes.json").read_text())
    second = json.loads((run_dir / f"{b}.outcomes.json").read_text())
    differ = {mid: [first.get(mid), second.get(mid)] for mid in set(first) | set(second)
              if first.get(mid) != second.get(mid)}
    return {"compared": [a, b], "mails": len(first), "different": len(differ),
            "examples": dict(list(differ.items())[:5])}


def verdicts(report: dict[str, Any]) -> dict[str, Any]:
    steady = report["steady"]
    rates = [r["mails_per_s"] for r in steady]
    out: dict[str, Any] = {}
    if rates:
        median = statistics.median(rates)
        out["mails_per_s"] = {"target": f">= {TARGET_MAILS_PER_S:g}", "median": median, "min": min(rates),
                              "max": max(rates), "rounds": rates, "met": median >= TARGET_MAILS_PER_S}
    alongside = report.get("alongside")
    if alongside:
        # The create and public-form targets of bench/run.py, measured while the workers read the mails.
        for verdict in bench_run.evaluate({"scenarios": alongside["loads"]}, at_scale=False):
            out[f"alongside_{verdict['scenario']}_{verdict['metric']}"] = {
                "target": verdict["target"], "measured": verdict["measured"], "met": verdict["pass"]}
    kill = report.get("kill")
    if kill:
        check = kill["check"]
        out["kill_lost_nothing"] = {"lost": kill["lost"], "met": kill["lost"] == 0}
        out["kill_duplicated_nothing"] = {"duplicated": kill["duplicated"], "met": kill["duplicated"] == 0}
        out["every_payload_done_or_ignored"] = {"failed": check["failed"], "pending": check["pending"],
                                                "met": check["failed"] == 0 and check["pending"] == 0}
        if "same_outcomes" in report:
            out["kill_changed_no_outcome"] = {"different": report["same_outcomes"]["different"],
                                              "met": report["same_outcomes"]["different"] == 0}
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=None, help="mails per round (default 10,000; --quick 1,000)")
    parser.add_argument("--rounds", type=int, default=None, help="uninterrupted rounds (default 3; --quick 1)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1,000 mails, one round of each")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill -9 round")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--store-batch", type=int, default=100, help="mails per store_payloads call (default 100)")
    parser.add_argument("--inbound-batch", type=int, default=None, help="INBOUND_BATCH for the worker")
    parser.add_argument("--workers", type=int, default=2,
                        help="db_worker processes (default 2, as scripts/run.sh's TASK_WORKERS)")
    parser.add_argument("--no-alongside", action="store_true", help="skip the round under form and API load")
    parser.add_argument("--load-duration", type=float, default=10.0,
                        help="seconds of create and of public-form load in the alongside round (default 10)")
    parser.add_argument("--kill-at", type=float, default=0.5, help="share of mails taken before the kill")
    parser.add_argument("--grace", type=float, default=5.0, help="INBOUND_GRACE_S after the restart (default 5)")
    parser.add_argument("--tick", type=float, default=1.0, help="TIMER_TICK_SECONDS after the restart (default 1)")
    parser.add_argument("--timeout", type=float, default=900.0, help="give up on a round after this many seconds")
    parser.add_argument("--inprocess", action="store_true",
                        help="also read the mails in one process under cProfile: CPU and queries a payload")
    parser.add_argument("--profile", action="store_true", help="sample the first round's worker with py-spy")
    parser.add_argument("--profile-seconds", type=float, default=60.0)
    parser.add_argument("--nice", type=int, default=None,
                        help="niceness of the worker and the timer loop (default -10 as root, else 0), as bench/run.py "
                             "runs its server: other work on the shared machine disturbs the figures less")
    parser.add_argument("--keep-data", action="store_true", help="keep the data directories afterwards")
    parser.add_argument("--write-latest", action=argparse.BooleanOptionalAction, default=None,
                        help="write bench/results/email-latest.json (default: yes, except for --quick)")
    args = parser.parse_args(argv)
    args.mails = args.mails or (1000 if args.quick else 10_000)
    args.rounds = args.rounds if args.rounds is not None else (1 if args.quick else 3)
    if args.write_latest is None:
        args.write_latest = not args.quick
    if args.nice is None:
        args.nice = -10 if os.geteuid() == 0 else 0
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, bench_run._exit_on_sigterm)
    harness.NICE = args.nice
    stamp = time.strftime("%Y%m%d-%H%M%S")
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, stamp)
    report: dict[str, Any] = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine_info(project_python()),
        "target": f">= {TARGET_MAILS_PER_S:g} mails/s with zero lost and zero duplicated after a kill -9 (issue 19)",
        "method": {
            "store": f"store_payloads, {args.store_batch} mails a call, before the worker starts",
            "worker": "manage.py db_worker (as scripts/run.sh starts it), timed from its start until no payload "
                      "is pending, read from the database every 0.1 s",
            "inbound_batch": args.inbound_batch or "settings default",
            "nice": args.nice,
            "kill": None if args.no_kill else f"SIGKILL to the worker's process group once {args.kill_at:.0%} "
                    f"of the mails are taken; restarted with run_timers, INBOUND_GRACE_S={args.grace:g}, "
                    f"TIMER_TICK_SECONDS={args.tick:g}",
        },
        "steady": [],
    }
    exit_code = 0
    try:
        report["corpus"] = bench.prepare_corpus()
        if args.inprocess:
            report["inprocess"] = bench.inprocess()
        for round_no in range(1, args.rounds + 1):
            report["steady"].append(bench.steady(round_no, profile=args.profile and round_no == 1))
        if not args.no_alongside:
            report["alongside"] = bench.alongside()
        if not args.no_kill:
            report["kill"] = bench.kill()
            if report["steady"]:
                report["same_outcomes"] = same_outcomes(bench.run_dir, "steady-1", "kill")
    except Exception as exc:
        exit_code = 1
        report["error"] = f"{type(exc).__name__}: {exc}"
        log(f"FAILED: {report['error']}")
    finally:
        if not args.keep_data:
            for data_dir in bench.data_dirs:
                shutil.rmtree(data_dir, ignore_errors=True)
    report["verdicts"] = verdicts(report)
    report["all_met"] = bool(report["verdicts"]) and all(v["met"] for v in report["verdicts"].values())
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    path = OUT / f"email-{stamp}.json"
    text = json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    if args.write_latest and exit_code == 0:
        bench_run.RESULTS.mkdir(parents=True, exist_ok=True)
        (bench_run.RESULTS / "email-latest.json").write_text(text, encoding="utf-8")
    for name, verdict in report["verdicts"].items():
        log(f"{'PASS' if verdict['met'] else 'MISS'}  {name}: "
            + ", ".join(f"{k} {v}" for k, v in verdict.items() if k != "met"))
    log(f"report: {path.relative_to(ROOT)}; {report['elapsed_s']} s in all")
    return exit_code if report["all_met"] or exit_code else 2


if __name__ == "__main__":
    sys.exit(main())
