"""Kintsugi's benchmark: granian (WSGI) + SQLite WAL on this machine, load from wrk on 127.0.0.1.

    python bench/run.py                                  # all scenarios, 1,000,000 seeded cases (~8 min)
    python bench/run.py --quick                          # smoke run: 20,000 cases, 3 s per scenario (< 2 min)
    python bench/run.py --scenario create --duration 15  # one scenario
    python bench/run.py --sweep                          # also compare granian settings (12-13 min in all)
    BENCH_PYSPY=/tmp/prof/bin/py-spy python bench/run.py --profile   # sample the workers with py-spy

Scenarios (issue 3's targets):
  create     POST /api/v1/cases with varied bodies (vi/th/en, new and returning customers), Bearer token,
             on a fresh database: >= 1,000 cases/s (issue 26: with synchronous=FULL), p99 <= 30 ms, no errors.
  inbox      GET /cases/ as a supervisor (default view, first page) with --cases in SQLite:
             p50 <= 20 ms, p99 <= 60 ms.
  api-list   GET /api/v1/cases?limit=25 with --cases in SQLite: p50 <= 15 ms.
  search     GET /cases/?q=... (issue 18): Vietnamese, Thai and English words, names, references, phones and
             emails in turn, over --cases (bench/search.py): p50 <= 50 ms. search-api: the same, GET /api/v1/cases?q=.
  create-at-scale (with `all`): the create scenario again on the big database, for information.

Each run gets fresh data directories under bench/out/ (DEBUG off, a fixed SECRET_KEY) and writes
bench/out/report-<timestamp>.json; full runs also write bench/results/latest.json. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, pyspy
from bench import search as search_bench
from bench.corpus import DESCRIPTIONS, LANGUAGE_MIX, NAMES
from bench.harness import (
    BENCH,
    ROOT,
    CpuMeter,
    Guests,
    LoadResult,
    Server,
    ServerConfig,
    cpu_speed,
    ensure_wrk,
    guests_for,
    http_request,
    log,
    machine_info,
    project_python,
    run_json,
    run_python_load,
    run_wrk,
    start_server,
    wait_for_quiet,
    write_lua,
)
from bench.load import GUEST_MARK, GUEST_PHONE_MARK

OUT = BENCH / "out"
RESULTS = BENCH / "results"
SECRET_KEY = "bench-only-fixed-secret-key-not-for-production-7f3a9c1e5b2d4f6a8c0e"
SCENARIOS = ("create", "public-form", "inbox", "api-list", "search", "search-api")
READ_SCENARIOS = ("inbox", "api-list", "search", "search-api")
# Two workers of eight threads, as `make run` serves (docs/performance.md, "Granian settings"): writes need the
# threads to batch; reads compute three at a time per worker (settings.READ_CONCURRENCY), which keeps their p99.
DEFAULT_SERVER = ServerConfig(workers=2, blocking_threads=8, backpressure=16)
SWEEP = [
    ServerConfig(workers=2),  # granian's defaults: backpressure 512 and 256 blocking threads per worker
    ServerConfig(workers=2, blocking_threads=1, backpressure=16),
    ServerConfig(workers=2, blocking_threads=4, backpressure=16),
    ServerConfig(workers=2, blocking_threads=8, backpressure=16),
    ServerConfig(workers=2, blocking_threads=16, backpressure=32),
    ServerConfig(workers=3, blocking_threads=4, backpressure=16),
]
TARGETS: dict[str, list[dict[str, Any]]] = {
    "create": [
        {"metric": "rps", "op": ">=", "value": 1000, "unit": "cases/s"},
        {"metric": "p99_ms", "op": "<=", "value": 30, "unit": "ms"},
        {"metric": "errors", "op": "==", "value": 0, "unit": ""},
    ],
    "public-form": [  # issue 4
        {"metric": "rps", "op": ">=", "value": 1000, "unit": "submissions/s"},
        {"metric": "p99_ms", "op": "<=", "value": 40, "unit": "ms"},
        {"metric": "errors", "op": "==", "value": 0, "unit": ""},
    ],
    "inbox": [
        {"metric": "p50_ms", "op": "<=", "value": 20, "unit": "ms"},
        {"metric": "p99_ms", "op": "<=", "value": 60, "unit": "ms"},
        {"metric": "errors", "op": "==", "value": 0, "unit": "", "implied": True},
    ],
    "api-list": [
        {"metric": "p50_ms", "op": "<=", "value": 15, "unit": "ms"},
        {"metric": "errors", "op": "==", "value": 0, "unit": "", "implied": True},
    ],
    "search": [  # issue 18
        {"metric": "p50_ms", "op": "<=", "value": 50, "unit": "ms"},
        {"metric": "errors", "op": "==", "value": 0, "unit": "", "implied": True},
    ],
    "search-api": [  # issue 18
        {"metric": "p50_ms", "op": "<=", "value": 50, "unit": "ms"},
        {"metric": "errors", "op": "==", "value": 0, "unit": "", "implied": True},
    ],
}
PEERS = {
    "create": {"name": "django-helpdesk 2.6.1", "rps": 114, "what": "tickets/s through its API"},
    "public-form": {"name": "django-helpdesk 2.6.1", "rps": 182, "what": "submissions/s of its public form"},
}
# Environment the server and the fixtures inherit from the caller, minus what would point them elsewhere.
DROPPED_ENV = ("DATABASE_URL", "SQLITE_PATH", "KINTSUGI_TESTING", "DJANGO_SETTINGS_MODULE", "PYTEST_ADDOPTS")


# --------------------------------------------------------------------------------------------- setup


def bench_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update({
        "KINTSUGI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "kintsugi.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        # The in-memory per-process limiter still runs on every call; the default (6,000/min per worker)
        # would answer 429 long before 1,000 cases/s, so the benchmark token gets a limit it cannot reach.
        "API_RATE_LIMIT_PER_MINUTE": "1000000000",
        # Likewise the public form's limits (10 per address and 300 per touchpoint per 10 minutes): every
        # submission still counts its hits in the database, as in production, but never reaches them.
        "PUBLIC_FORM_LIMIT_PER_IP": "1000000000/600",
        "PUBLIC_FORM_LIMIT_PER_TOUCHPOINT": "1000000000/600",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    })
    return env


def fixture(env: dict[str, str], *args: str, stdin: str | None = None, timeout: float = 1800) -> dict[str, Any]:
    """Run bench/fixtures.py with the data directory's environment; its last stdout line is JSON."""
    return run_json("fixtures.py", env, *args, stdin=stdin, timeout=timeout)


def ensure_static(env: dict[str, str]) -> dict[str, Any]:
    """Run collectstatic, as a deploy does: the manifest storage (DEBUG off) needs staticfiles.json to be
    current, or every page that names a new static file answers 500."""
    started = time.monotonic()
    proc = subprocess.run([project_python(), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"collectstatic failed:\n{proc.stderr[-3000:]}")
    return {"collectstatic_s": round(time.monotonic() - started, 2)}


def new_data_dir(stamp: str, name: str) -> Path:
    path = OUT / f"data-{stamp}-{name}"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# --------------------------------------------------------------------------------------------- scenarios


def create_bodies() -> dict[str, Any]:
    """The lists the POST script picks from: JSON-escaped texts, and body templates with {placeholders}."""
    descriptions: list[str] = []
    names: list[str] = []
    for lang, share in LANGUAGE_MIX.items():
        weight = round(share * 20)
        descriptions += [json.dumps(d, ensure_ascii=False) for d in DESCRIPTIONS[lang]] * weight
        names += [json.dumps(n, ensure_ascii=False) for n in NAMES[lang]] * weight
    customer = [
        '"customer":{"name":{name},"email":"{email}"}',
        '"customer":{"name":{name},"phone":"{phone}"}',
        '"customer":{"name":{name},"email":"{email}","phone":"{phone}"}',
    ]
    templates = [
        '{"description":{description},"location":"{location}","channel":"{channel}","severity":{severity},' + c + "}"
        for c in customer
    ]
    return {"DESCRIPTIONS": descriptions, "NAMES": names, "BODY_TEMPLATES": templates,
            "CHANNELS": ["api"] * 6 + ["web", "email", "zalo", "line"]}


def python_post_requests(host: str, path: str, token: str, locations: list[str], n: int = 3000) -> list[str]:
    """Raw requests for the fallback generator, varied like the Lua script's: 15 % of them from one of 200
    regulars, the others from a new guest of the run (bench/load.py fills in the marks)."""
    rng = random.Random(7)
    data = create_bodies()
    out = []
    for _ in range(n):
        template = rng.choice(data["BODY_TEMPLATES"])
        if rng.random() < 0.15:
            regular = rng.randrange(1, 201)
            email, phone = f"regular{regular:04d}@example.com", f"+8490{regular:07d}"
        else:
            email, phone = f"guest-{GUEST_MARK}@example.com", GUEST_PHONE_MARK
        body = (template.replace("{description}", rng.choice(data["DESCRIPTIONS"]))
                .replace("{name}", rng.choice(data["NAMES"])).replace("{location}", rng.choice(locations))
                .replace("{channel}", rng.choice(data["CHANNELS"])).replace("{email}", email)
                .replace("{phone}", phone).replace("{severity}", "3"))
        out.append(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body.encode())}\r\n\r\n" + body
        )
    return out


def form_body(description: str, severity: str, email: str, phone: str, token: str) -> str:
    fields = {"csrfmiddlewaretoken": token, "description": description, "severity": severity, "email": email,
              "phone": phone, "line_id": "", "zalo_id": "", "website": ""}
    return urllib.parse.urlencode(fields)


def form_bodies(token: str) -> dict[str, Any]:
    """What the form script picks from: URL-encoded descriptions in the language mix, and the fixed fields."""
    descriptions: list[str] = []
    for lang, share in LANGUAGE_MIX.items():
        descriptions += [urllib.parse.quote_plus(d) for d in DESCRIPTIONS[lang]] * round(share * 20)
    return {"DESCRIPTIONS": descriptions, "LANGUAGES": ["vi", "th", "en"],
            "TOKEN": urllib.parse.quote_plus(token), "CONTACT_SHARE": 0.7}


def python_form_requests(host: str, cookie: str, codes: list[str], token: str, n: int = 3000) -> list[str]:
    """Raw form submissions for the fallback generator, varied like the Lua script's: 70 % leave an email, a
    new guest's of the run (bench/load.py fills in the mark)."""
    rng = random.Random(11)
    descriptions = [d for lang, share in LANGUAGE_MIX.items() for d in DESCRIPTIONS[lang] * round(share * 20)]
    out = []
    for _ in range(n):
        email = f"guest-form-{GUEST_MARK}@example.com" if rng.random() < 0.7 else ""
        body = form_body(rng.choice(descriptions), str(rng.choice([2, 3, 3, 4])), email, "", token)
        body = body.replace(urllib.parse.quote_plus(GUEST_MARK), GUEST_MARK)  # the tag needs no escaping
        out.append(
            f"POST /t/{rng.choice(codes)}/{rng.choice(['vi', 'th', 'en'])}/ HTTP/1.1\r\nHost: {host}\r\n"
            f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body.encode())}\r\n\r\n" + body
        )
    return out


def csrf_cookie(response_headers: dict[str, str]) -> str | None:
    """The csrftoken cookie's value a response set, if it set one."""
    set_cookie = " ".join(v for k, v in response_headers.items() if k.lower() == "set-cookie")
    found = re.search(r"csrftoken=([^;]+)", set_cookie)
    return found.group(1) if found else None


class Runner:
    """Runs scenarios against one server with one load tool, and keeps what they measured."""

    def __init__(self, args: argparse.Namespace, stamp: str, wrk: str | None, report: dict[str, Any]) -> None:
        self.args = args
        self.stamp = stamp
        self.wrk = wrk
        self.report = report
        self.servers: list[Server] = []
        self.run_dir = OUT / f"run-{stamp}"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.run_id = int(time.time()) % 100_000
        self.invocations = 0  # load generator runs so far: each gets its own new guests

    def next_guests(self) -> Guests:
        self.invocations += 1
        return guests_for(self.run_id, self.invocations)

    @contextlib.contextmanager
    def server(self, env: dict[str, str], config: ServerConfig,
               app: str = "kintsugi.wsgi:application") -> Iterator[Server]:
        server = start_server(env, config, self.run_dir / "granian.log", app=app)
        self.servers.append(server)
        try:
            yield server
        finally:
            server.stop()

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()

    def load(
        self, server: Server, name: str, *, path: str, method: str, headers: dict[str, str], expect: int,
        duration: float, lua: str = "get.lua", extra: dict[str, Any] | None = None,
        fallback_requests: list[str] | None = None, profile: bool = False, rounds: int | None = None,
    ) -> LoadResult:
        """Warm up, then measure `rounds` times for `duration` seconds with 16 connections from a separate
        process; the round with the median throughput is the result, the others are kept in `rounds`."""
        connections, threads = self.args.connections, self.args.threads
        if self.wrk:
            preamble: dict[str, Any] = {"PATH": path, "HEADER_NAMES": list(headers),
                                        "HEADER_VALUES": list(headers.values())}
            preamble.update(extra or {})
            script = write_lua(self.run_dir / f"{name}.lua", lua, preamble)
            wrk = self.wrk

            def drive(seconds: float, conns: int, wrk_threads: int) -> LoadResult:
                return run_wrk(wrk, server.base_url, script, duration=seconds, connections=conns,
                               threads=wrk_threads, expect_status=expect, guests=self.next_guests())
        else:
            requests = fallback_requests or [
                f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
            ]
            spec = {"host": "127.0.0.1", "port": server.port, "timeout": 5, "requests": requests}
            spec_path = self.run_dir / f"{name}.load.json"

            def drive(seconds: float, conns: int, wrk_threads: int) -> LoadResult:
                return run_python_load(spec_path, spec, duration=seconds, connections=conns, expect_status=expect,
                                       guests=self.next_guests())

        if self.args.warmup > 0:
            drive(self.args.warmup, connections, threads)
        # How fast the cores are right now (the host's speed varies): the figure to compare runs by.
        self.report.setdefault("calibration_ms", {})[name] = cpu_speed(project_python())
        results: list[LoadResult] = []
        summary = None
        for round_no in range(rounds or self.args.rounds):
            quiet = self.quiet(server)
            recorders = pyspy.start(server.worker_pids(), duration, self.run_dir, name) if profile else []
            meter = CpuMeter(server.worker_pids()).start()
            one = drive(duration, connections, threads)
            one.cpu = {**meter.stop(), **quiet}
            summary = pyspy.finish(recorders) or summary
            profile = False  # one profiled round is enough
            (self.run_dir / f"{name}.round{round_no + 1}.out.txt").write_text(one.raw)
            self.log_result(f"{name} #{round_no + 1}", server, one)
            results.append(one)
        result = sorted(results, key=lambda r: r.rps)[(len(results) - 1) // 2]
        result.rounds = [r.brief() for r in results]
        if self.args.unloaded > 0:
            # One connection: the service time of a request with no queue in front of it.
            single = drive(self.args.unloaded, 1, 1)
            result.unloaded = {"connections": 1, "rps": round(single.rps, 1),
                               "latency_ms": {k: round(v, 2) for k, v in single.latency_ms.items()},
                               "error_count": single.error_count}
            log(f"{name} one connection: p50 {single.latency_ms.get('p50', 0):.1f} ms, "
                f"p99 {single.latency_ms.get('p99', 0):.1f} ms ({single.rps:,.0f} req/s)")
        if summary:
            self.report.setdefault("profiles", {})[name] = summary
        return result

    @staticmethod
    def log_result(name: str, server: Server, result: LoadResult) -> None:
        lat = result.latency_ms
        log(f"{name} [{server.config.label}]: {result.rps:,.0f} req/s, p50 {lat.get('p50', 0):.1f} ms, "
            f"p90 {lat.get('p90', 0):.1f} ms, p99 {lat.get('p99', 0):.1f} ms, max {lat.get('max', 0):.1f} ms, "
            f"errors {result.error_count}; cores: server {result.cpu['server_cores']}, "
            f"load {result.cpu['loadgen_cores']}, other {result.cpu['other_cores']}, "
            f"stolen by the host {result.cpu.get('steal_cores', 0)}")

    def quiet(self, server: Server) -> dict[str, Any]:
        """Wait a little for other people's work on this machine to calm down before measuring."""
        if self.args.quiet_wait <= 0:
            return {}
        state = wait_for_quiet(server.worker_pids(), max_wait=self.args.quiet_wait)
        if not state["quiet"]:
            log(f"machine still busy after {state['waited_s']} s ({state['other_cores_before']} cores used by "
                "other processes); measuring anyway, see cpu.other_cores in the report")
        return state

    # ----------------------------------------------------------------------------------------- scenarios

    def create(self, server: Server, fixtures: dict[str, Any], name: str = "create", profile: bool = False,
               duration: float | None = None) -> LoadResult:
        locations = [loc["code"] for loc in fixtures["locations"]]
        bodies = create_bodies()
        headers = {"Authorization": f"Bearer {fixtures['token']}"}
        status, _h, body = http_request(
            server.base_url + "/api/v1/cases", method="POST",
            headers={**headers, "Content-Type": "application/json"},
            body=json.dumps({"description": DESCRIPTIONS["en"][0], "location": locations[0],
                             "customer": {"name": "Smoke Test", "email": "smoke@example.com"}}).encode(),
        )
        if status != 201:
            raise RuntimeError(f"POST /api/v1/cases answered {status}: {body[:500]!r}")
        return self.load(
            server, name, path="/api/v1/cases", method="POST", headers=headers, expect=201,
            duration=duration or self.args.duration, lua="post_cases.lua",
            extra={"TOKEN": fixtures["token"], "LOCATIONS": locations, "REPEAT_SHARE": 0.15, "REGULARS": 200,
                   **bodies},
            fallback_requests=python_post_requests("127.0.0.1", "/api/v1/cases", fixtures["token"], locations),
            profile=profile,
        )

    def public_form(self, server: Server, fixtures: dict[str, Any], profile: bool = False,
                    duration: float | None = None) -> LoadResult:
        """POST /t/<code>/<lang>/ as a customer's phone does: the form's fields, its CSRF cookie and token."""
        codes = fixtures["public_codes"]
        status, response_headers, body = http_request(f"{server.base_url}/t/{codes[0]}/en/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        cookie = csrf_cookie(response_headers)
        if status != 200 or match is None or cookie is None:
            raise RuntimeError(f"GET /t/{codes[0]}/en/ answered {status} without a CSRF token: {body[:300]!r}")
        token = match.group(1).decode()
        headers = {"Cookie": f"csrftoken={cookie}"}
        bodies = form_bodies(token)
        status, response_headers, body = http_request(
            f"{server.base_url}/t/{codes[0]}/en/", method="POST",
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            # DESCRIPTIONS are URL-encoded for the Lua script; form_body encodes them itself.
            body=form_body(urllib.parse.unquote_plus(bodies["DESCRIPTIONS"][0]), "3", "smoke@example.com", "",
                           token).encode(),
        )
        if status != 303:
            raise RuntimeError(f"POST /t/{codes[0]}/en/ answered {status}: {body[:500]!r}")
        return self.load(
            server, "public-form", path="/t/", method="POST", headers=headers, expect=303,
            duration=duration or self.args.duration, lua="post_form.lua",
            extra={"COOKIE": headers["Cookie"], "CODES": codes, **bodies},
            fallback_requests=python_form_requests("127.0.0.1", headers["Cookie"], codes, token),
            profile=profile,
        )

    def inbox(self, server: Server, fixtures: dict[str, Any], profile: bool = False,
              duration: float | None = None) -> LoadResult:
        cookie = f"{fixtures['session_cookie_name']}={fixtures['session_cookie']}"
        headers = {"Cookie": cookie, "Accept-Language": "vi"}
        status, response_headers, body = http_request(server.base_url + "/cases/", headers=headers)
        if status != 200:
            raise RuntimeError(f"GET /cases/ with the supervisor's session answered {status} "
                               f"({response_headers.get('Location', '')}): {body[:300]!r}")
        # A browser that reloads the inbox sends back the CSRF cookie the first page set.
        csrf = csrf_cookie(response_headers)
        if csrf:
            headers["Cookie"] = f"{cookie}; csrftoken={csrf}"
        return self.load(server, "inbox", path="/cases/", method="GET", headers=headers, expect=200,
                         duration=duration or self.args.duration, profile=profile)

    def api_list(self, server: Server, fixtures: dict[str, Any], profile: bool = False,
                 duration: float | None = None, name: str = "api-list") -> LoadResult:
        headers = {"Authorization": f"Bearer {fixtures['token']}", "Accept": "application/json"}
        path = "/api/v1/cases?limit=25"
        status, _h, body = http_request(server.base_url + path, headers=headers)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        return self.load(server, name, path=path, method="GET", headers=headers, expect=200,
                         duration=duration or self.args.duration, profile=profile)
    def search(self, server: Server, fixtures: dict[str, Any], seeded: dict[str, Any], *, api: bool,
               profile: bool = False) -> LoadResult:
        """Searches in turn (bench/search.py): the inbox's as the supervisor, or the API's with the token."""
        if api:
            headers = {"Authorization": f"Bearer {fixtures['token']}", "Accept": "application/json"}
            paths = search_bench.api_paths(seeded)
        else:
            headers = {"Cookie": f"{fixtures['session_cookie_name']}={fixtures['session_cookie']}",
                       "Accept-Language": "vi"}
            paths = search_bench.inbox_paths(seeded)
        search_bench.check(server.base_url, paths, headers)
        name = "search-api" if api else "search"
        return self.load(server, name, path=paths[0], method="GET", headers=headers, expect=200,
                         duration=self.args.duration, lua="get_many.lua", extra={"PATHS": paths},
                         fallback_requests=search_bench.raw_requests(paths, headers), profile=profile)


# --------------------------------------------------------------------------------------------- report


def scenario_record(result: LoadResult, config: ServerConfig, **extra: Any) -> dict[str, Any]:
    record = result.as_dict()
    record["server"] = config.as_dict()
    server_cores = result.cpu.get("server_cores")
    record.update(extra)
    if server_cores and result.rps:
        # The budget that matters on two cores: how much server CPU one request costs. Unlike req/s and
        # latency, it hardly moves when other work shares the machine, so it carries the projection below.
        cpu_ms = server_cores * 1000 / result.rps
        record["server_cpu_ms_per_request"] = round(cpu_ms, 2)
        cores = (os.cpu_count() or 2) - result.cpu.get("loadgen_cores", 0)
        ceiling = cores * 1000 / cpu_ms
        projection: dict[str, Any] = {"cpu_bound_rps": round(ceiling), "rps": round(ceiling)}
        projection["p50_ms_at_connections"] = round(result.connections * 1000 / ceiling, 1)
        projection["note"] = ("estimate for the same machine with nothing else running: throughput from server "
                              f"CPU per request, latency from Little's law for {result.connections} closed-loop "
                              "connections")
        record["projection_idle_machine"] = projection
    return record


def evaluate(report: dict[str, Any], at_scale: bool) -> list[dict[str, Any]]:
    """Each target with the measured value, by how much it is met or missed, and pass/fail."""
    verdicts = []
    for scenario, targets in TARGETS.items():
        record = report["scenarios"].get(scenario)
        if record is None:
            continue
        lat = record["latency_ms"]
        measured = {"rps": record["rps"], "p50_ms": lat.get("p50"), "p99_ms": lat.get("p99"),
                    "errors": record["error_count"]}
        for target in targets:
            value = measured[target["metric"]]
            goal = target["value"]
            ok = {">=": value >= goal, "<=": value <= goal, "==": value == goal}[target["op"]]
            verdict = {
                "scenario": scenario, "metric": target["metric"],
                "target": f"{target['op']} {goal} {target['unit']}".strip(),
                "measured": value, "pass": bool(ok),
                "comparable": at_scale or scenario == "create",
            }
            if target.get("implied"):
                verdict["note"] = "implied: a fast error is not a result"
            if target["op"] != "==" and goal:
                verdict["ratio_to_target"] = round(value / goal, 2)
            if target["metric"].endswith("_ms") and target["metric"] != "p99_ms":
                # Closed loop: latency ~ connections / throughput (Little's law), so a median latency target
                # at N connections is also a throughput target.
                verdict["implied_rps_at_connections"] = round(record["connections"] * 1000 / goal)
            verdicts.append(verdict)
    return verdicts


def write_report(report: dict[str, Any], stamp: str, write_latest: bool) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"report-{stamp}.json"
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    if write_latest:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    return path


def print_summary(report: dict[str, Any]) -> None:
    print()
    print(f"{'scenario':<18}{'req/s':>10}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}{'errors':>8}  server")
    for name, rec in report["scenarios"].items():
        lat = rec["latency_ms"]
        print(f"{name:<18}{rec['rps']:>10,.0f}{lat.get('p50', 0):>8.1f}m{lat.get('p90', 0):>8.1f}m"
              f"{lat.get('p99', 0):>8.1f}m{lat.get('max', 0):>8.1f}m{rec['error_count']:>8}  {rec['server']['label']}")
    print()
    for verdict in report["targets"]:
        mark = "PASS" if verdict["pass"] else "MISS"
        scale = "" if verdict["comparable"] else "  (not at target scale)"
        print(f"  {mark}  {verdict['scenario']:<9} {verdict['metric']:<7} {verdict['target']:<16} "
              f"measured {verdict['measured']}{scale}")


# --------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=(*SCENARIOS, "all"), default="all")
    parser.add_argument("--duration", type=float, default=None, help="measured seconds per scenario (default 12)")
    parser.add_argument("--warmup", type=float, default=None, help="warm-up seconds before each (default 3)")
    parser.add_argument("--cases", type=int, default=None, help="cases seeded for inbox/api-list (default 1e6)")
    parser.add_argument("--open", type=int, default=None, help="how many seeded cases are open (default 4,000)")
    parser.add_argument("--events-per-case", type=int, default=1, choices=(0, 1, 3))
    parser.add_argument("--quick", action="store_true", help="smoke run: 20,000 cases, 3 s, no sweep")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--blocking-threads", type=int, default=None)
    parser.add_argument("--backpressure", type=int, default=None)
    parser.add_argument("--sweep", action="store_true", help="compare granian settings (create and api-list)")
    parser.add_argument("--nice", type=int, default=None,
                        help="niceness of granian and wrk (default -10 as root, else 0): other work on the "
                             "machine then disturbs the measurement less; cpu.other_cores shows what remained")
    parser.add_argument("--profile", action="store_true", help="sample the workers with py-spy (BENCH_PYSPY)")
    parser.add_argument("--no-install", action="store_true", help="never apt-get wrk; fall back to bench/load.py")
    parser.add_argument("--python-load", action="store_true", help="use bench/load.py even when wrk exists")
    parser.add_argument("--write-latest", action=argparse.BooleanOptionalAction, default=None,
                        help="write bench/results/latest.json (default: yes, except for --quick)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="measured rounds per scenario; the median-throughput round is reported (default 3)")
    parser.add_argument("--unloaded", type=float, default=None,
                        help="seconds of a one-connection run after each scenario, for service time (default 4)")
    parser.add_argument("--keep-data", action="store_true", help="keep the data directories afterwards")
    parser.add_argument("--reuse-read-data", metavar="DIR", default=None,
                        help="inbox/api-list: use a read database kept by an earlier --keep-data run")
    parser.add_argument("--quiet-wait", type=float, default=None,
                        help="seconds to wait for other processes to go quiet before each measurement "
                             "(default 15, --quick 3; 0 to skip)")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = args.duration or 3
        args.warmup = 1 if args.warmup is None else args.warmup
        args.cases = args.cases or 20_000
    args.duration = args.duration or 12
    args.warmup = 3 if args.warmup is None else args.warmup
    args.cases = args.cases or 1_000_000
    if args.open is None:
        args.open = min(4000, max(50, args.cases // 250))
    if args.nice is None:
        args.nice = -10 if os.geteuid() == 0 else 0
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    if args.unloaded is None:
        args.unloaded = 2 if args.quick else 4
    if args.quiet_wait is None:
        args.quiet_wait = 3 if args.quick else 15
    if args.write_latest is None:
        args.write_latest = not args.quick
    return args


def server_config(args: argparse.Namespace) -> ServerConfig:
    return ServerConfig(
        workers=args.workers or DEFAULT_SERVER.workers,
        blocking_threads=args.blocking_threads or DEFAULT_SERVER.blocking_threads,
        backpressure=args.backpressure or DEFAULT_SERVER.backpressure,
    )


def _exit_on_sigterm(signum: int, _frame: Any) -> None:
    # Turn `kill` into an exception so the finally clauses stop granian and clean up.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    harness.NICE = args.nice
    started = time.monotonic()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    wanted = SCENARIOS if args.scenario == "all" else (args.scenario,)
    wrk = None if args.python_load else ensure_wrk(allow_install=not args.no_install)
    config = server_config(args)
    report: dict[str, Any] = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine_info(project_python()),
        "method": {
            "server": "granian --interface wsgi kintsugi.wsgi:application on 127.0.0.1, SQLite WAL",
            "load": f"{'wrk' if wrk else 'bench/load.py'} -t {args.threads} -c {args.connections}, closed loop, "
                    f"{args.warmup:g} s warm-up then {args.rounds} x {args.duration:g} s measured (median round "
                    f"reported), then {args.unloaded:g} s on one connection; separate process",
            "quick": args.quick,
            "nice": args.nice,
            "cases_seeded": args.cases,
            "open_cases_seeded": args.open,
            "env": {"DEBUG": "0", "API_RATE_LIMIT_PER_MINUTE": "1000000000 (limiter still runs)"},
        },
        "targets_source": "issue 3 (create, inbox, api-list), issue 4 (public-form), issue 18 (search, search-api)",
        "peers": PEERS,
        "scenarios": {},
    }
    runner = Runner(args, stamp, wrk, report)
    data_dirs: list[Path] = []
    exit_code = 0
    try:
        OUT.mkdir(parents=True, exist_ok=True)
        report["static"] = ensure_static(bench_env(OUT))
        if args.sweep:
            report["sweep"] = sweep(runner, stamp, data_dirs)
            best = report["sweep"]["best"]
            if best and not (args.workers or args.blocking_threads or args.backpressure):
                config = ServerConfig(**{k: best[k] for k in ("workers", "blocking_threads", "backpressure")})
                log(f"using the sweep's best settings: {config.label}")
        report["server"] = config.as_dict()

        if "create" in wanted:
            data_dir = new_data_dir(stamp, "create")
            data_dirs.append(data_dir)
            env = bench_env(data_dir)
            log(f"create: fresh database in {data_dir.relative_to(ROOT)}")
            fixtures = fixture(env, "setup")
            with runner.server(env, config) as server:
                result = runner.create(server, fixtures, profile=args.profile)
            probes = fixture(env, "probe", stdin=json.dumps([{
                "name": "create", "method": "POST", "path": "/api/v1/cases", "repeat": 12,
                "headers": {"Authorization": f"Bearer {fixtures['token']}"},
                "body": json.dumps({
                    "description": DESCRIPTIONS["vi"][0], "location": "hanoi", "channel": "api",
                    "customer": {"name": "Lan", "email": "probe{n}@example.com", "phone": "+849123456{n}"},
                }),
            }]))["probes"]
            report["scenarios"]["create"] = scenario_record(result, config, database_cases=0, probe=probes[0])

        if "public-form" in wanted:
            data_dir = new_data_dir(stamp, "form")
            data_dirs.append(data_dir)
            env = bench_env(data_dir)
            log(f"public-form: fresh database in {data_dir.relative_to(ROOT)}")
            fixtures = fixture(env, "setup")
            with runner.server(env, config) as server:
                result = runner.public_form(server, fixtures, profile=args.profile)
            report["scenarios"]["public-form"] = scenario_record(result, config, database_cases=0)

        if any(name in wanted for name in READ_SCENARIOS):
            if args.reuse_read_data:
                # A kept read database (--keep-data) and the fixtures it was built with: no setup, no seeding.
                data_dir = Path(args.reuse_read_data).resolve()
                env = bench_env(data_dir)
                fixtures = json.loads((data_dir / "fixtures.json").read_text())
                seeded = json.loads((data_dir / "seed.json").read_text())
                log(f"reusing the seeded database in {data_dir}")
            else:
                data_dir = new_data_dir(stamp, "read")
                data_dirs.append(data_dir)
                env = bench_env(data_dir)
                fixtures = fixture(env, "setup")
                log(f"seeding {args.cases:,} cases ({args.open:,} open) into {data_dir.relative_to(ROOT)}")
                seeded = fixture(env, "seed", "--cases", str(args.cases), "--open", str(args.open),
                                 "--events-per-case", str(args.events_per_case))
                (data_dir / "fixtures.json").write_text(json.dumps(fixtures))
                (data_dir / "seed.json").write_text(json.dumps(seeded))
            report["seed"] = seeded
            log(f"seeded in {seeded['timings_s']['total_s']} s; database {seeded['database_mib']} MiB")
            probe_specs = []
            if "inbox" in wanted:
                probe_specs.append({"name": "inbox", "method": "GET", "path": "/cases/",
                                    "login": fixtures["supervisor"], "explain": True, "repeat": 6})
            if "api-list" in wanted:
                probe_specs.append({"name": "api-list", "method": "GET", "path": "/api/v1/cases?limit=25",
                                    "headers": {"Authorization": f"Bearer {fixtures['token']}"}, "explain": True,
                                    "repeat": 6})
            probes = {p["name"]: p for p in fixture(env, "probe", stdin=json.dumps(probe_specs))["probes"]}
            with runner.server(env, config) as server:
                if "inbox" in wanted:
                    result = runner.inbox(server, fixtures, profile=args.profile)
                    report["scenarios"]["inbox"] = scenario_record(result, config, database_cases=args.cases,
                                                                   probe=probes["inbox"])
                if "api-list" in wanted:
                    result = runner.api_list(server, fixtures, profile=args.profile)
                    report["scenarios"]["api-list"] = scenario_record(result, config, database_cases=args.cases,
                                                                      probe=probes["api-list"])
                for name in ("search", "search-api"):
                    if name in wanted:
                        result = runner.search(server, fixtures, seeded, api=name == "search-api",
                                               profile=args.profile)
                        report["scenarios"][name] = scenario_record(result, config, database_cases=args.cases)
                if args.scenario == "all":
                    # For information: the same POST load once the tables hold the big history.
                    result = runner.create(server, fixtures, name="create-at-scale")
                    report["scenarios"]["create-at-scale"] = scenario_record(result, config,
                                                                             database_cases=args.cases)
    except Exception as exc:
        exit_code = 1
        report["error"] = f"{type(exc).__name__}: {exc}"
        log(f"FAILED: {report['error']}")
    finally:
        runner.stop_all()
        if not args.keep_data:
            for data_dir in data_dirs:
                shutil.rmtree(data_dir, ignore_errors=True)
    report["targets"] = evaluate(report, at_scale=args.cases >= 1_000_000)
    report["all_targets_met"] = all(v["pass"] for v in report["targets"]) and bool(report["targets"])
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    path = write_report(report, stamp, write_latest=args.write_latest and exit_code == 0)
    print_summary(report)
    log(f"report: {path.relative_to(ROOT)}" + (" and bench/results/latest.json" if args.write_latest and exit_code == 0
                                                 else "") + f"; {report['elapsed_s']} s in all")
    return exit_code


def sweep(runner: Runner, stamp: str, data_dirs: list[Path]) -> dict[str, Any]:
    """Short create and api-list runs per granian setting on one small database; the best by create rps
    among those whose create p99 stays within the target, else by rps alone."""
    args = runner.args
    data_dir = new_data_dir(stamp, "sweep")
    data_dirs.append(data_dir)
    env = bench_env(data_dir)
    fixtures = fixture(env, "setup")
    fixture(env, "seed", "--cases", "100000", "--open", "1000")
    duration = min(args.duration, 6)
    rows = []
    # Short runs: no one-connection run, and a short wait for a quiet machine.
    saved = args.unloaded, args.quiet_wait
    args.unloaded, args.quiet_wait = 0, min(args.quiet_wait, 5)
    saved_rounds = args.rounds
    args.rounds = 1
    for config in SWEEP:
        with runner.server(env, config) as server:
            create = runner.create(server, fixtures, name=f"sweep-create-{config.label}", duration=duration)
            listing = runner.api_list(server, fixtures, name=f"sweep-api-list-{config.label}", duration=duration)
        rows.append({**config.as_dict(), "create": create.as_dict(), "api_list": listing.as_dict()})
    args.unloaded, args.quiet_wait = saved
    args.rounds = saved_rounds
    within = [r for r in rows if r["create"]["latency_ms"].get("p99", 1e9) <= 30 and not r["create"]["error_count"]]
    best = max(within or rows, key=lambda r: r["create"]["rps"]) if rows else None
    return {"duration_s": duration, "database_cases": 100000, "rows": rows,
            "best": {k: best[k] for k in ("label", "workers", "blocking_threads", "backpressure")} if best else None}


if __name__ == "__main__":
    sys.exit(main())
