"""GroupCommitter's `hold`: the leader takes it before collecting its batch (the threads' basics are tested with
open_case_grouped in cases/tests/test_services_open_cases_batch.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest

from kintsugi.cases.tests.test_services_open_cases_batch import queued, run_threads
from kintsugi.db.grouped import GroupCommitter


def test_items_that_arrive_while_the_leader_waits_for_the_hold_join_its_batch() -> None:
    release = threading.Event()
    batches: list[list[int]] = []

    @contextmanager
    def hold() -> Iterator[None]:
        release.wait(5)  # as a write lock held by another process would
        yield

    def write_batch(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        return [item * 10 for item in items]

    committer: GroupCommitter[int, int] = GroupCommitter(write_batch, hold=hold)
    # The leader's own item is still queued while it waits: all six are in the queue before the release.
    results = run_threads(committer, range(6), before_release=lambda: queued(committer, 6), release=release)

    assert results == {n: n * 10 for n in range(6)}
    assert [sorted(batch) for batch in batches] == [[0, 1, 2, 3, 4, 5]]


def test_the_batch_is_written_inside_the_hold() -> None:
    inside: list[bool] = []
    holding = threading.local()

    @contextmanager
    def hold() -> Iterator[None]:
        holding.on = True
        try:
            yield
        finally:
            holding.on = False

    def write_batch(items: Sequence[int]) -> list[int]:
        inside.append(getattr(holding, "on", False))
        return list(items)

    assert GroupCommitter(write_batch, hold=hold).submit(7) == 7
    assert inside == [True]


def test_a_hold_that_fails_fails_its_leader_and_the_next_item_is_written() -> None:
    fail = [True]

    @contextmanager
    def hold() -> Iterator[None]:
        if fail.pop() if fail else False:
            raise OSError("no lock file")
        yield

    committer: GroupCommitter[int, int] = GroupCommitter(lambda items: list(items), hold=hold)
    with pytest.raises(OSError, match="no lock file"):
        committer.submit(1)

    assert (committer._busy, len(committer._queue)) == (False, 0)
    assert committer.submit(2) == 2
