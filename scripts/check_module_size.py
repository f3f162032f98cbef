#!/usr/bin/env python3
"""Fail when a Python module of the project is over MAX_LINES lines (`make lint`, `make test`).

A module that long holds more than one idea: split it by idea (a package of modules, a test file per theme).
Migrations are generated and exempt; so is each file in EXEMPT, with the reason beside it.

    scripts/check_module_size.py            # kintsugi/ bench/ scripts/ tests/
    scripts/check_module_size.py PATH...    # only these files or folders
"""

from __future__ import annotations

import sys
from pathlib import Path

MAX_LINES = 500
ROOTS = ("kintsugi", "bench", "scripts", "tests")
ROOT = Path(__file__).resolve().parent.parent

# path (from the repository root) -> why it may be longer.
EXEMPT: dict[str, str] = {
    "bench/harness.py": "the benchmark's harness; split when the bench work under way lands (issue 17)",
    "bench/run.py": "the benchmark's runner; split when the bench work under way lands (issue 17)",
}


def is_exempt(path: Path) -> bool:
    return "migrations" in path.parts or path.relative_to(ROOT).as_posix() in EXEMPT


def modules(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        candidates = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        found += [p for p in candidates if "__pycache__" not in p.parts and not is_exempt(p)]
    return found


def line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _line in handle)


def main(argv: list[str]) -> int:
    paths = [Path(arg).resolve() for arg in argv] or [ROOT / root for root in ROOTS]
    too_long = [(path, n) for path in modules(paths) if (n := line_count(path)) > MAX_LINES]
    stale = [name for name in EXEMPT if not (ROOT / name).exists()]
    for path, n in too_long:
        print(f"{path.relative_to(ROOT)}: {n} lines (at most {MAX_LINES}); split it by idea", file=sys.stderr)
    for name in stale:
        print(f"scripts/check_module_size.py: {name} is exempt but does not exist; drop it from EXEMPT",
              file=sys.stderr)
    if too_long or stale:
        return 1
    print(f"check_module_size: every module is at most {MAX_LINES} lines ({len(EXEMPT)} exempt)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
