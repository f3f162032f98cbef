"""Group commit: each thread gets its own outcome, concurrent items share a batch, one bad item fails alone, and
inside a transaction the item is written at once. (Cases opened through it: cases/tests/test_open_cases_grouped.py.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction

from kintsugi.db.grouped import GroupCommitter, grouped
from kintsugi.db.tests.threads import queued, run_threads


def test_the_committer_gives_each_thread_its_own_result_and_writes_in_batches() -> None:
    release = threading.Event()
    batches: list[list[int]] = []

    def write_batch(items: Sequence[int]) -> list[int]:
        if not batches:
            release.wait(5)  # hold the first batch until the others are queued behind it
        batches.append(list(items))
        return [item * 10 for item in items]

    committer: GroupCommitter[int, int] = GroupCommitter(write_batch)
    results = run_threads(committer, range(6), before_release=lambda: queued(committer, 5), release=release)

    assert results == {n: n * 10 for n in range(6)}
    assert sorted(len(batch) for batch in batches) == [1, 5]
    assert sorted(item for batch in batches for item in batch) == list(range(6))
    assert (committer.batches, committer.items, committer._busy) == (2, 6, False)


def test_one_failing_item_fails_alone_and_the_rest_of_its_batch_is_written_one_by_one() -> None:
    release = threading.Event()
    written: list[int] = []

    def write_batch(items: Sequence[int]) -> list[int]:
        if not written and items == [0]:
            release.wait(5)
        if 3 in items and len(items) > 1:
            raise IntegrityError("one of these breaks the batch")
        return write_one_list(items)

    def write_one_list(items: Sequence[int]) -> list[int]:
        if 3 in items:
            raise ValueError("item 3 is bad")
        written.extend(items)
        return list(items)

    committer: GroupCommitter[int, int] = GroupCommitter(write_batch)
    results = run_threads(committer, range(6), before_release=lambda: queued(committer, 5), release=release)

    assert isinstance(results.pop(3), ValueError)
    assert results == {n: n for n in (0, 1, 2, 4, 5)}
    assert sorted(written) == [0, 1, 2, 4, 5]


def test_a_leader_waiting_to_begin_its_transaction_takes_what_arrived_meanwhile_into_its_batch() -> None:
    release = threading.Event()
    batches: list[list[int]] = []

    @contextmanager
    def begin() -> Iterator[None]:
        if not batches:
            release.wait(5)  # as if another process held the database's write lock
        yield

    def write_batch(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        return list(items)

    committer: GroupCommitter[int, int] = GroupCommitter(write_batch, begin=begin)
    results = run_threads(committer, range(5), before_release=lambda: queued(committer, 5), release=release,
                          leading=lambda: committer._busy)

    assert results == {n: n for n in range(5)}
    assert [sorted(batch) for batch in batches] == [[0, 1, 2, 3, 4]]  # one batch, not [0] and then the rest
    assert (committer.batches, committer.items) == (1, 5)


def test_a_batch_that_fails_at_its_commit_is_written_again_one_by_one() -> None:
    release = threading.Event()
    commits: list[str] = []
    written: list[list[int]] = []

    @contextmanager
    def begin() -> Iterator[None]:
        if not commits:
            release.wait(5)
        yield
        commits.append("failed" if not commits else "ok")
        if commits[-1] == "failed":  # a deferred constraint checked at COMMIT (PostgreSQL)
            raise IntegrityError("violates foreign key constraint")

    def write_batch(items: Sequence[int]) -> list[int]:
        written.append(list(items))
        return list(items)

    committer: GroupCommitter[int, int] = GroupCommitter(write_batch, begin=begin)
    results = run_threads(committer, range(3), before_release=lambda: queued(committer, 3), release=release,
                          leading=lambda: committer._busy)

    assert results == {0: 0, 1: 1, 2: 2}
    assert written == [[0, 1, 2], [0], [1], [2]]  # the batch, then each item in a transaction of its own


def test_a_batch_that_returns_the_wrong_number_of_results_fails_each_of_its_items() -> None:
    committer: GroupCommitter[int, int] = GroupCommitter(lambda items: [])

    with pytest.raises(RuntimeError, match="returned 0 results for 1 items"):
        committer.submit(1)

    assert committer._busy is False


def test_submitting_from_inside_a_batch_is_refused_rather_than_waiting_for_itself() -> None:
    committer: GroupCommitter[int, int] = GroupCommitter(lambda items: [committer.submit(item) for item in items])

    with pytest.raises(RuntimeError, match="called from inside write_batch"):
        committer.submit(1)

    assert committer._busy is False


@pytest.mark.django_db(transaction=True)
def test_an_exception_the_batch_returns_for_an_item_is_raised_to_its_caller_only() -> None:
    def write_batch(items: Sequence[int]) -> list[int | Exception]:
        return [ValueError(f"{item} is odd") if item % 2 else item for item in items]

    submit = grouped(write_batch)

    assert submit(2) == 2
    with pytest.raises(ValueError, match="3 is odd"):
        submit(3)
    assert submit.committer.batches == 2  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_inside_a_transaction_the_item_is_written_at_once_in_that_transaction() -> None:
    seen: list[bool] = []

    def write_batch(items: Sequence[int]) -> list[int]:
        seen.append(transaction.get_connection().in_atomic_block)
        return list(items)

    submit = grouped(write_batch)
    with transaction.atomic():
        assert submit(5) == 5

    assert seen == [True]
    assert submit.committer.batches == 0  # type: ignore[attr-defined]  # the committer was not used
