"""Markdown tables from a benchmark report, for docs/performance.md.

    python bench/summary.py [bench/results/latest.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parent / "results" / "latest.json"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def scenarios(report: dict[str, Any]) -> str:
    rows = [
        "| scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU ms/req | other cores | "
        "1 conn p50 ms | projected req/s | projected p50 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, rec in report["scenarios"].items():
        lat = rec["latency_ms"]
        single = (rec.get("unloaded") or {}).get("latency_ms", {})
        proj = rec.get("projection_idle_machine") or {}
        rows.append(
            f"| {name} | {rec['rps']:,.0f} | {_ms(lat.get('p50'))} | {_ms(lat.get('p90'))} | {_ms(lat.get('p99'))} "
            f"| {_ms(lat.get('max'))} | {rec['error_count']} | {_ms(rec.get('server_cpu_ms_per_request'))} "
            f"| {rec['cpu'].get('other_cores', '-')} | {_ms(single.get('p50'))} | {proj.get('rps', '-')} "
            f"| {_ms(proj.get('p50_ms_at_connections'))} |"
        )
    return "\n".join(rows)


def targets(report: dict[str, Any]) -> str:
    rows = ["| scenario | metric | target | measured | result |", "|---|---|---|---:|---|"]
    for v in report["targets"]:
        result = "pass" if v["pass"] else "**miss**"
        if "ratio_to_target" in v and not v["pass"]:
            result += f" ({v['ratio_to_target']}x target)"
        rows.append(f"| {v['scenario']} | {v['metric']} | {v['target']} | {v['measured']:,} | {result} |")
    return "\n".join(rows)


def probes(report: dict[str, Any]) -> str:
    rows = ["| request | status | bytes | queries | in-process ms (median) |",
            "|---|---:|---:|---:|---:|"]
    for name, rec in report["scenarios"].items():
        p = rec.get("probe")
        if p:
            rows.append(f"| {name} | {p['status']} | {p['bytes']:,} | {p['queries']} | "
                        f"{_ms(p.get('median_ms_after_first'))} |")
    return "\n".join(rows)


def sweep(report: dict[str, Any]) -> str:
    data = report.get("sweep")
    if not data:
        return ""
    rows = ["| granian | create req/s | create p50 / p99 ms | api-list req/s | api-list p50 / p99 ms | other cores |",
            "|---|---:|---:|---:|---:|---:|"]
    for r in data["rows"]:
        c, a = r["create"], r["api_list"]
        rows.append(
            f"| {r['label']} | {c['rps']:,.0f} | {_ms(c['latency_ms'].get('p50'))} / {_ms(c['latency_ms'].get('p99'))} "
            f"| {a['rps']:,.0f} | {_ms(a['latency_ms'].get('p50'))} / {_ms(a['latency_ms'].get('p99'))} "
            f"| {c['cpu'].get('other_cores', '-')} / {a['cpu'].get('other_cores', '-')} |"
        )
    return "\n".join(rows)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    report = json.loads(path.read_text())
    for title, table in (("Targets", targets(report)), ("Scenarios", scenarios(report)),
                         ("One request in-process", probes(report)), ("Granian sweep", sweep(report))):
        if table:
            print(f"### {title}\n\n{table}\n")


if __name__ == "__main__":
    main()
