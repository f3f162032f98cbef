"""Sample the granian workers with py-spy while a scenario runs, and summarise where the time went.

py-spy is not a project dependency: point BENCH_PYSPY at a binary (for example one installed in a throwaway
venv: `python3 -m venv /tmp/prof && /tmp/prof/bin/pip install py-spy`), or have `py-spy` on PATH.

    python bench/pyspy.py FILE.txt [...]     print the summary of collapsed-stack files (py-spy -f raw)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

# py-spy's raw frames look like "function (path/to/file.py:123)"; the line number is dropped to aggregate.
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")
_IDLE = ("wait (threading.py", "select (selectors.py", "_recv_into", "accept (socket.py")


def pyspy_binary() -> str | None:
    return os.environ.get("BENCH_PYSPY") or shutil.which("py-spy")


def start(pids: list[int], duration: float, out_dir: Path, label: str) -> list[tuple[subprocess.Popen[bytes], Path]]:
    """One py-spy recorder per worker, each writing collapsed stacks (with idle frames excluded)."""
    binary = pyspy_binary()
    if binary is None:
        return []
    recorders = []
    for pid in pids:
        path = out_dir / f"profile-{label}-{pid}.txt"
        cmd = [binary, "record", "--pid", str(pid), "--duration", str(max(1, round(duration))), "--rate", "250",
               "--format", "raw", "--output", str(path), "--nonblocking"]
        if os.environ.get("BENCH_PYSPY_GIL"):
            cmd.append("--gil")  # only the thread holding the interpreter lock: where the CPU goes
        recorders.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), path))
    return recorders


def finish(recorders: list[tuple[subprocess.Popen[bytes], Path]], top: int = 30) -> dict[str, Any] | None:
    if not recorders:
        return None
    paths = []
    for proc, path in recorders:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=10)
        if path.exists():
            paths.append(path)
    return summarise(paths, top=top) if paths else None


def _frame_name(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    file = match.group("file")
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{match.group('func')} ({file})"


def summarise(paths: list[Path], top: int = 30) -> dict[str, Any]:
    """Inclusive and self sample shares per function, over every stack in the collapsed files."""
    inclusive: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    total = 0
    for path in paths:
        for line in path.read_text(errors="replace").splitlines():
            stack, _sep, count_text = line.rpartition(" ")
            if not stack or not count_text.isdigit():
                continue
            count = int(count_text)
            frames = [_frame_name(f) for f in stack.split(";") if f and not f.startswith("process ")
                      and not f.startswith("thread ")]
            if not frames or any(marker in frames[-1] for marker in _IDLE):
                continue
            total += count
            for name in set(frames):
                inclusive[name] += count
            self_time[frames[-1]] += count

    def share(counter: Counter[str]) -> list[dict[str, Any]]:
        return [{"function": name, "percent": round(100 * n / total, 1)} for name, n in counter.most_common(top)]

    return {"samples": total, "files": [str(p) for p in paths], "inclusive": share(inclusive), "self": share(self_time)}


if __name__ == "__main__":
    import json

    print(json.dumps(summarise([Path(p) for p in sys.argv[1:]]), indent=2, ensure_ascii=False))
