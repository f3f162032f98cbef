"""Drive a GroupCommitter from many threads: the first thread leads, the others queue behind it, and the first
batch is released once they all wait."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

from conftest import wait_until
from kintsugi.db.grouped import GroupCommitter


def queued(committer: GroupCommitter[Any, Any], n: int) -> bool:
    return len(committer._queue) >= n


def run_threads(
    committer: GroupCommitter[Any, Any], items: Any, *, before_release: Callable[[], bool], release: threading.Event,
    submit: Callable[[Any], Any] | None = None, leading: Callable[[], bool] | None = None,
) -> dict[Any, Any]:
    """Submit each item from its own thread, the first one first; the others once the first thread leads (by
    default: once it has taken its batch, so the others queue behind it); release the first batch once the others
    wait. Each item's result, or the exception its thread got."""
    results: dict[Any, Any] = {}
    submit = submit or committer.submit

    def run(item: Any) -> None:
        try:
            results[item] = submit(item)
        except Exception as exc:
            results[item] = exc
        finally:
            connection.close()

    items = list(items)
    first = threading.Thread(target=run, args=(items[0],))
    first.start()
    wait_until(leading or (lambda: committer.batches >= 1))
    others = [threading.Thread(target=run, args=(item,)) for item in items[1:]]
    for thread in others:
        thread.start()
    wait_until(before_release)
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    return results
