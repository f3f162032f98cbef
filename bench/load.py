"""A small closed-loop HTTP/1.1 load generator, used only when wrk cannot be installed.

    python bench/load.py SPEC.json     (run by bench/harness.py as its own process)

SPEC: {"host", "port", "connections", "duration", "timeout", "requests": [raw request strings]}. Each of
`connections` keep-alive connections sends the next request of the list as soon as the previous answer is
read, for `duration` seconds, and records the latency of each. It prints the same BENCH_JSON summary line
as the wrk scripts in lua/. It is slower than wrk (one Python process), so on a 2-core machine it steals more
CPU from the server: prefer wrk's numbers.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = None
    chunked = False
    for line in lines[1:]:
        name, _sep, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    size = len(head)
    if chunked:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            chunk = int(size_line.split(b";")[0], 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                break
    elif length:
        await reader.readexactly(length)
        size += length
    return status, size


async def _connection(spec: dict[str, Any], offset: int, deadline: float, out: dict[str, Any]) -> None:
    requests = [r.encode() for r in spec["requests"]]
    try:
        reader, writer = await asyncio.open_connection(spec["host"], spec["port"])
    except OSError:
        out["errors"]["connect"] += 1
        return
    n = offset
    try:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            writer.write(requests[n % len(requests)])
            n += 1
            try:
                status, size = await asyncio.wait_for(_read_response(reader), spec.get("timeout", 5))
            except TimeoutError:
                out["errors"]["timeout"] += 1
                return
            except (asyncio.IncompleteReadError, ConnectionError):
                out["errors"]["read"] += 1
                return
            out["latencies"].append((time.perf_counter() - start) * 1e6)
            out["statuses"][status] = out["statuses"].get(status, 0) + 1
            out["bytes"] += size
    finally:
        writer.close()


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(pct / 100 * len(values) + 0.5) - 1))
    return values[index]


async def main(spec: dict[str, Any]) -> None:
    out: dict[str, Any] = {
        "latencies": [], "statuses": {}, "bytes": 0,
        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
    }
    started = time.monotonic()
    deadline = started + spec["duration"]
    await asyncio.gather(*(
        _connection(spec, i * 7, deadline, out) for i in range(spec["connections"])
    ))
    elapsed = time.monotonic() - started
    lat = sorted(out["latencies"])
    mean = sum(lat) / len(lat) if lat else float("nan")
    stdev = (sum((x - mean) ** 2 for x in lat) / len(lat)) ** 0.5 if lat else float("nan")
    out["errors"]["status"] = sum(n for code, n in out["statuses"].items() if code >= 400)
    summary = {
        "duration_us": int(elapsed * 1e6),
        "requests": len(lat),
        "bytes": out["bytes"],
        "errors": out["errors"],
        "statuses": {str(k): v for k, v in out["statuses"].items()},
        "latency_us": {
            "p50": _percentile(lat, 50), "p75": _percentile(lat, 75), "p90": _percentile(lat, 90),
            "p99": _percentile(lat, 99), "p99_9": _percentile(lat, 99.9), "mean": mean, "stdev": stdev,
            "min": lat[0] if lat else float("nan"), "max": lat[-1] if lat else float("nan"),
        },
    }
    print("BENCH_JSON " + json.dumps(summary), flush=True)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        asyncio.run(main(json.load(fh)))
