"""Process plumbing for the benchmark: the granian server, the wrk load generator and their numbers.

Standard library only; Django is never imported here (the orchestrator runs Django work in subprocesses so
that each data directory gets its own settings and no connection of ours is open while load runs).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LUA_DIR = BENCH / "lua"


def venv_bin(name: str) -> str:
    """The project venv's executable `name`, else whatever is on PATH."""
    candidate = ROOT / ".venv" / "bin" / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"bench: cannot find {name!r} (looked in .venv/bin and on PATH)")
    return found


def project_python() -> str:
    """An interpreter that can import Django: the venv's, or this one if it can."""
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


# Niceness for the server and the load generator (run.py sets it from --nice). The machine is shared with
# other people's test runs; a negative value (root only) keeps them from skewing the measurement as much.
NICE = 0


def niced(cmd: list[str]) -> list[str]:
    return ["nice", "-n", str(NICE), *cmd] if NICE and shutil.which("nice") else cmd


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------------------------- machine


def machine_info(python: str) -> dict[str, Any]:
    """Cores, memory, CPU model and the versions that matter, read from the project's interpreter."""
    probe = (
        "import json, platform, sqlite3, sys, django, importlib.metadata as m\n"
        "def v(n):\n"
        "    try: return m.version(n)\n"
        "    except Exception: return None\n"
        "print(json.dumps({'python': platform.python_version(), 'django': django.get_version(),"
        " 'sqlite': sqlite3.sqlite_version, 'granian': v('granian'), 'django_ninja': v('django-ninja')}))"
    )
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    info: dict[str, Any] = json.loads(out.stdout)
    info["nproc"] = os.cpu_count()
    with contextlib.suppress(OSError):
        info["nproc"] = len(os.sched_getaffinity(0))
    info["platform"] = platform.platform()
    info["cpu_model"] = _cpu_model()
    info["mem_total_gib"] = _mem_total_gib()
    info["wrk"] = _wrk_version()
    info["calibration_ms"] = cpu_speed(python)
    return info


# A fixed pure-Python workload (dicts, strings, integers, calls: what a Django request is made of). Its best time
# says how fast this virtual machine's cores are at the moment: the host lends them out, and their speed has been
# seen to vary by 2x between one day and the next. Reported with every run, so figures can be compared.
_CALIBRATION = """
import json, time
def work():
    d = {}
    for i in range(20000):
        key = f"k{i % 500}"
        d[key] = d.get(key, 0) + len(str(i)) * 3
    return json.dumps(sorted(d.items())[:50])
best = float("inf")
for _ in range(15):
    t = time.perf_counter(); work(); best = min(best, time.perf_counter() - t)
print(round(best * 1000, 3))
"""


def cpu_speed(python: str) -> float | None:
    """The calibration workload's best time in ms on one core (lower is faster)."""
    out = subprocess.run([python, "-c", _CALIBRATION], capture_output=True, text=True, cwd=ROOT)
    try:
        return float(out.stdout.strip())
    except ValueError:
        return None


def _cpu_model() -> str | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return None


def _mem_total_gib() -> float | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _wrk_version() -> str | None:
    path = shutil.which("wrk")
    if path is None:
        return None
    out = subprocess.run([path, "--version"], capture_output=True, text=True)
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0].split(" [")[0] if first else None


# -------------------------------------------------------------------------------------------- guests
# Every run of the load generator (the warm-up, each round, the one-connection run) writes into the database
# the runs before it wrote into, and a customer found by any of their identities is the same customer. So each
# run gives its new guests emails and phone numbers no other run of the benchmark gave: else round 2's guests
# would be round 1's customers again, each case a repeat failure (escalated, its supervisors notified), and the
# workload would no longer be the one it claims (in the create scenario, 15 % regulars).

# Vietnamese mobile prefixes valid for any seven digits after them, other than the regulars' (90) and the
# seeded customers' (92).
GUEST_PHONE_PREFIXES = (
    "91", "93", "94", "96", "97", "98", "99", "81", "82", "83", "84", "85", "86", "87", "88",
    "70", "76", "77", "78", "79", "32", "33", "34", "35", "36", "37", "38", "39", "30", "31",
)


@dataclass(frozen=True)
class Guests:
    """What one load run's new guests carry so that no other run's are the same: a tag in their emails and a
    phone prefix, the run's own among the benchmark's runs on one database."""

    tag: str
    phone_prefix: str


def guests_for(run_id: int, invocation: int) -> Guests:
    """The guests of the `invocation`-th load run of the benchmark run `run_id`: unique for the first
    len(GUEST_PHONE_PREFIXES) runs on a database, and likely across benchmark runs."""
    prefix = GUEST_PHONE_PREFIXES[(run_id + invocation) % len(GUEST_PHONE_PREFIXES)]
    return Guests(tag=f"{run_id}-{invocation}", phone_prefix=prefix)


# --------------------------------------------------------------------------------------------- wrk


def ensure_wrk(allow_install: bool = True) -> str | None:
    """The wrk binary, installing Debian's package when missing and we may; None means use the fallback."""
    path = shutil.which("wrk")
    if path or not allow_install:
        return path
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        log("wrk is missing and apt-get is not usable here; using the Python load generator")
        return None
    log("wrk is missing: apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    result = subprocess.run([apt, "install", "-y", "-q", "wrk"], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        # The package lists may never have been fetched on a fresh machine.
        subprocess.run([apt, "update", "-q"], capture_output=True, text=True, env=env)
        result = subprocess.run([apt, "install", "-y", "-q", "wrk"], capture_output=True, text=True, env=env)
    path = shutil.which("wrk")
    if path is None:
        log("could not install wrk; using the Python load generator")
    return path


@dataclass
class LoadResult:
    """One fixed-duration run of the load generator."""

    tool: str
    duration_s: float
    connections: int
    requests: int
    rps: float
    latency_ms: dict[str, float]
    errors: dict[str, int]
    statuses: dict[str, int]
    bytes_read: int
    raw: str = field(default="", repr=False)
    cpu: dict[str, Any] = field(default_factory=dict)
    unloaded: dict[str, Any] | None = None
    rounds: list[dict[str, Any]] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def brief(self) -> dict[str, Any]:
        lat = self.latency_ms
        return {"rps": round(self.rps, 1), "p50_ms": round(lat.get("p50", 0), 2),
                "p99_ms": round(lat.get("p99", 0), 2), "errors": self.error_count,
                "other_cores": self.cpu.get("other_cores"), "steal_cores": self.cpu.get("steal_cores")}

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "duration_s": round(self.duration_s, 2),
            "connections": self.connections,
            "requests": self.requests,
            "rps": round(self.rps, 1),
            "latency_ms": {k: round(v, 2) for k, v in self.latency_ms.items()},
            "errors": self.errors,
            "error_count": self.error_count,
            "statuses": self.statuses,
            "bytes_per_response": round(self.bytes_read / self.requests) if self.requests else None,
            "cpu": self.cpu,
            "unloaded": self.unloaded,
            "rounds": self.rounds,
        }


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def parse_wrk_text(text: str) -> dict[str, Any]:
    """Numbers from wrk's human output (`--latency`): a cross-check on the Lua summary, and its fallback."""
    parsed: dict[str, Any] = {"latency_ms": {}, "errors": {}}
    for pct, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", text, re.MULTILINE):
        parsed["latency_ms"][f"p{pct}"] = _to_ms(value)
    match = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", text, re.MULTILINE)
    if match:
        parsed["latency_ms"]["mean"] = _to_ms(match.group(1))
        parsed["latency_ms"]["max"] = _to_ms(match.group(3))
    match = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", text)
    if match:
        parsed["requests"] = int(match.group(1))
        parsed["duration_s"] = _to_ms(match.group(2)) / 1000
    match = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if match:
        parsed["rps"] = float(match.group(1))
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if match:
        for name, value in zip(("connect", "read", "write", "timeout"), match.groups(), strict=True):
            parsed["errors"][name] = int(value)
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if match:
        parsed["errors"]["non_2xx_3xx"] = int(match.group(1))
    return parsed


def run_wrk(
    wrk: str,
    url: str,
    script: Path,
    *,
    duration: float,
    connections: int = 16,
    threads: int = 2,
    timeout_s: int = 5,
    expect_status: int = 200,
    guests: Guests | None = None,
) -> LoadResult:
    """Run wrk for `duration` seconds; the Lua script prints a JSON summary line that we prefer to the text.
    The scripts that make new customers get their `guests` as arguments (init(args) in lua/)."""
    cmd = niced([
        wrk, "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s",
        "--timeout", f"{timeout_s}s", "--latency", "-s", str(script), url,
        *(["--", guests.tag, guests.phone_prefix] if guests else []),
    ])
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    text = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{text}")
    summary = _summary_line(proc.stdout)
    if summary is None:
        fallback = parse_wrk_text(text)
        return LoadResult(
            tool="wrk", duration_s=float(fallback.get("duration_s", duration)), connections=connections,
            requests=int(fallback.get("requests", 0)), rps=float(fallback.get("rps", 0.0)),
            latency_ms=fallback["latency_ms"], errors=fallback["errors"], statuses={}, bytes_read=0, raw=text,
        )
    return _from_summary("wrk", summary, connections, expect_status, text)


def run_python_load(
    spec_path: Path, spec: dict[str, Any], *, duration: float, connections: int = 16, expect_status: int = 200,
    guests: Guests | None = None,
) -> LoadResult:
    """The fallback generator (bench/load.py) in its own process, with the same summary as the wrk scripts."""
    spec = {**spec, "duration": duration, "connections": connections}
    if guests:
        spec["guests"] = asdict(guests)
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    proc = subprocess.run(niced([sys.executable, str(BENCH / "load.py"), str(spec_path)]), capture_output=True,
                          text=True, timeout=duration + 60)
    summary = _summary_line(proc.stdout)
    if proc.returncode != 0 or summary is None:
        raise RuntimeError(f"bench/load.py failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return _from_summary("python", summary, connections, expect_status, proc.stdout)


def _summary_line(stdout: str) -> dict[str, Any] | None:
    summary = None
    for line in stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            summary = json.loads(line[len("BENCH_JSON "):])
    return summary


def _from_summary(tool: str, summary: dict[str, Any], connections: int, expect_status: int, raw: str) -> LoadResult:
    seconds = summary["duration_us"] / 1e6
    requests = int(summary["requests"])
    statuses = {str(k): int(v) for k, v in summary.get("statuses", {}).items()}
    errors = {k: int(v) for k, v in summary["errors"].items() if k != "status"}
    # wrk's own "status" error counts only >= 400; count every unexpected status (a 302 to the login page
    # is a failure for us) from the per-status tally the scripts keep.
    errors["unexpected_status"] = sum(n for code, n in statuses.items() if int(code) != expect_status)
    latency = {k: v / 1000 for k, v in summary["latency_us"].items() if v is not None}
    return LoadResult(
        tool=tool, duration_s=seconds, connections=connections, requests=requests,
        rps=requests / seconds if seconds else 0.0, latency_ms=latency, errors=errors, statuses=statuses,
        bytes_read=int(summary.get("bytes", 0)), raw=raw,
    )


def lua_string(value: str) -> str:
    """A Lua long-bracket literal holding `value` byte for byte (UTF-8, quotes and backslashes untouched)."""
    level = 0
    while f"]{'=' * level}]" in value:
        level += 1
    eq = "=" * level
    return f"[{eq}[{value}]{eq}]"


def write_lua(path: Path, template: str, preamble: dict[str, Any]) -> Path:
    """Write a wrk script: generated data (strings and lists of strings) followed by a template from lua/."""
    lines = ["-- generated by bench/run.py; edit bench/lua/*.lua instead"]
    for name, value in preamble.items():
        if isinstance(value, list):
            items = ",\n  ".join(lua_string(str(v)) for v in value)
            lines.append(f"{name} = {{\n  {items}\n}}")
        elif isinstance(value, bool):
            lines.append(f"{name} = {'true' if value else 'false'}")
        elif isinstance(value, int | float):
            lines.append(f"{name} = {value}")
        else:
            lines.append(f"{name} = {lua_string(str(value))}")
    lines.append((LUA_DIR / "common.lua").read_text())
    lines.append((LUA_DIR / template).read_text())
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------- granian


@dataclass(frozen=True)
class ServerConfig:
    workers: int = 2
    blocking_threads: int | None = None
    backpressure: int | None = None
    runtime_threads: int | None = None

    @property
    def label(self) -> str:
        parts = [f"w{self.workers}"]
        if self.blocking_threads:
            parts.append(f"bt{self.blocking_threads}")
        if self.backpressure:
            parts.append(f"bp{self.backpressure}")
        if self.runtime_threads:
            parts.append(f"rt{self.runtime_threads}")
        return "-".join(parts)

    def args(self) -> list[str]:
        args = ["--workers", str(self.workers)]
        if self.blocking_threads:
            args += ["--blocking-threads", str(self.blocking_threads)]
        if self.backpressure:
            args += ["--backpressure", str(self.backpressure)]
        if self.runtime_threads:
            args += ["--runtime-threads", str(self.runtime_threads)]
        return args

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "workers": self.workers, "blocking_threads": self.blocking_threads,
                "backpressure": self.backpressure, "runtime_threads": self.runtime_threads}


def run_json(script: str, env: dict[str, str], *args: str, stdin: str | None = None,
             timeout: float = 1800) -> dict[str, Any]:
    """Run bench/<script> with the data directory's environment; its last stdout line is JSON."""
    proc = subprocess.run([project_python(), str(BENCH / script), *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{script} {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def stop_group(proc: subprocess.Popen[bytes], *, timeout: float = 10, sig: int = signal.SIGTERM) -> None:
    """Signal a process started with start_new_session (its group id is its pid: exactly it and its children),
    SIGKILL the group if it is still there after `timeout` seconds; safe to call on a process already gone."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)


@dataclass
class Server:
    """A granian process serving kintsugi.wsgi:application on 127.0.0.1; stop() is safe to call twice."""

    proc: subprocess.Popen[bytes]
    port: int
    config: ServerConfig
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The granian worker processes (children of the main process), for profiling."""
        children: list[int] = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.proc.pid:
                    children.append(int(stat.parent.name))
        return sorted(children)

    def stop(self) -> None:
        # Granian runs in its own process group: the group holds the server and its workers and nothing else.
        stop_group(self.proc)


def start_server(
    env: dict[str, str], config: ServerConfig, log_path: Path, ready_path: str = "/",
    app: str = "kintsugi.wsgi:application",
) -> Server:
    """Start granian (WSGI) and wait until it answers; raises with the log's tail if it never does."""
    port = free_port()
    cmd = niced([
        venv_bin("granian"), "--interface", "wsgi", app,
        "--host", "127.0.0.1", "--port", str(port), "--no-ws", "--http", "1",
        "--log-level", "warning", *config.args(),
    ])
    log_file = log_path.open("ab")
    log_file.write(f"\n$ {' '.join(cmd)}\n".encode())
    log_file.flush()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    log_file.close()
    server = Server(proc=proc, port=port, config=config, log_path=log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(server.base_url + ready_path, timeout=2):
                return server
        except urllib.error.HTTPError:
            return server  # any HTTP answer means the workers are up
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    server.stop()
    tail = log_path.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"granian did not come up on port {port}:\n{tail}")


def http_request(
    url: str, *, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request without following redirects: (status, headers, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    def joined(headers: Any) -> dict[str, str]:  # repeated headers (Set-Cookie) joined, not the last one kept
        return {name: ", ".join(headers.get_all(name)) for name in dict.fromkeys(headers.keys())}

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, joined(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, joined(exc.headers), exc.read()


# --------------------------------------------------------------------------------------------- CPU accounting
#
# The machine has two cores and other people's work (test suites, dev servers) may run on it. Every measured
# run records how many cores were busy, and how much of that was the server, the load generator and others,
# so a noisy result shows as noisy in the report instead of passing for the app's speed.

_TICK = os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    steal = fields[7] if len(fields) > 7 else 0  # time the hypervisor gave our virtual CPUs to someone else
    return sum(fields[:8]), idle, steal


def _pid_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def _children_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class CpuMeter:
    """Cores used between start() and stop(): the whole machine, the server's processes, our reaped children."""

    server_pids: list[int]
    _t0: float = 0.0
    _machine: tuple[int, int, int] = (0, 0, 0)
    _server: int = 0
    _children: float = 0.0

    def start(self) -> CpuMeter:
        self._t0 = time.monotonic()
        self._machine = _machine_ticks()
        self._server = _pid_ticks(self.server_pids)
        self._children = _children_seconds()
        return self

    def stop(self) -> dict[str, float]:
        elapsed = max(1e-6, time.monotonic() - self._t0)
        total, idle, steal = _machine_ticks()
        d_total = total - self._machine[0]
        d_idle = idle - self._machine[1]
        cores = os.cpu_count() or 1
        busy = cores * (d_total - d_idle) / d_total if d_total else 0.0
        stolen = cores * (steal - self._machine[2]) / d_total if d_total else 0.0
        server = (_pid_ticks(self.server_pids) - self._server) / _TICK / elapsed
        loadgen = (_children_seconds() - self._children) / elapsed
        return {
            "cores_busy": round(busy, 2),
            "server_cores": round(server, 2),
            "loadgen_cores": round(loadgen, 2),
            # Steal is counted as busy by the kernel: the host ran someone else on our cores.
            "steal_cores": round(stolen, 2),
            "other_cores": round(max(0.0, busy - server - loadgen - stolen), 2),
        }


def wait_for_quiet(server_pids: list[int], *, max_wait: float, threshold: float = 0.25) -> dict[str, float]:
    """Wait (at most `max_wait` s) until processes other than the server use under `threshold` cores for two
    seconds running; returns how long we waited and the last reading."""
    started = time.monotonic()
    quiet_for = 0
    reading = 0.0
    while True:
        meter = CpuMeter(server_pids).start()
        time.sleep(1.0)
        sample = meter.stop()
        reading = sample["cores_busy"] - sample["server_cores"]
        quiet_for = quiet_for + 1 if reading < threshold else 0
        waited = time.monotonic() - started
        if quiet_for >= 2 or waited >= max_wait:
            return {"waited_s": round(waited, 1), "other_cores_before": round(reading, 2), "quiet": quiet_for >= 2}
