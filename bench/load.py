"""A small closed-loop HTTP/1.1 load generator, used only when wrk cannot be installed.

    python bench/load.py SPEC.json     (run by bench/harness.py as its own process)

SPEC: {"host", "port", "connections", "duration", "timeout", "requests": [raw request strings], "guests"}.
Each of `connections` keep-alive connections sends the next request of the list as soon as the previous answer
is read, for `duration` seconds, and records the latency of each. In a request, {guest} and {guest_phone}
become a new guest of this run (SPEC's "guests": {"tag", "phone_prefix"}, see bench/harness.py), and its
Content-Length is worked out again. It prints the same BENCH_JSON summary line
as the wrk scripts in lua/. It is slower than wrk (one Python process), so on a 2-core machine it steals more
CPU from the server: prefer wrk's numbers.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

GUEST_MARK = "{guest}"
GUEST_PHONE_MARK = "{guest_phone}"


def guest_values(guests: dict[str, str], connection: int, n: int) -> tuple[str, str]:
    """The `n`-th new guest on `connection`: what makes their email unique, and their E.164 phone number (the
    run's prefix, two digits of connection, five of count)."""
    return (f"{guests['tag']}-{connection}-{n}",
            f"+84{guests['phone_prefix']}{connection % 100:02d}{n % 100_000:05d}")


def with_guest(request: str, guests: dict[str, str], connection: int, n: int) -> bytes:
    """`request` with its guest marks filled in and its Content-Length counted again."""
    email_part, phone = guest_values(guests, connection, n)
    head, _sep, body = request.partition("\r\n\r\n")
    data = body.replace(GUEST_PHONE_MARK, phone).replace(GUEST_MARK, email_part).encode()
    lines = [line for line in head.split("\r\n") if not line.lower().startswith("content-length:")]
    return ("\r\n".join([*lines, f"Content-Length: {len(data)}"]) + "\r\n\r\n").encode() + data


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


async def _connection(spec: dict[str, Any], index: int, deadline: float, out: dict[str, Any]) -> None:
    templates: list[str] = spec["requests"]
    guests: dict[str, str] = spec.get("guests") or {}
    marked = (GUEST_MARK, GUEST_PHONE_MARK)
    fixed = [None if guests and any(m in r for m in marked) else r.encode() for r in templates]
    made = 0  # guests made on this connection
    try:
        reader, writer = await asyncio.open_connection(spec["host"], spec["port"])
    except OSError:
        out["errors"]["connect"] += 1
        return
    n = index * 7  # the connections start at different requests of the list
    try:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            i = n % len(templates)
            request = fixed[i]
            if request is None:
                made += 1
                request = with_guest(templates[i], guests, index, made)
            writer.write(request)
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
        _connection(spec, i, deadline, out) for i in range(spec["connections"])
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
