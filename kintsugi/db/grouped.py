"""Group commit at the web edge: many threads' writes in one transaction, so a burst of requests pays for one
commit (and one turn of SQLite's write lock), not many.

`grouped(write_batch)` turns a service that takes a list (cases.services.open_cases, intake's
submit_public_complaints) into a function of one item, for a view served by many threads. A thread calls it and
blocks until its item is written. The first thread that finds no batch in flight becomes the leader: it begins the
transaction (on SQLite this waits for the database's write lock, held by another process's batch), then takes
everything queued by then (up to `max_batch` items, its own first) and hands them to `write_batch`, which writes
them in that transaction. Meanwhile new arrivals queue up; when the leader is done it wakes the thread at the head
of the queue to lead the next batch, and returns.

Each item gets its own outcome: its result, or an exception the service returned for it (raised to its caller).
If the batch fails as a whole, its items are written again one by one, so one bad item fails alone. Inside a
transaction already (a test, a caller's own atomic block) the item is written at once, in that transaction.
"""

from __future__ import annotations

import threading
from _thread import allocate_lock
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

from django.db import transaction

__all__ = ["GroupCommitter", "grouped"]


class _Slot[T, R]:
    """One submitted item and, once written, its result or exception.

    `wake` is a bare lock, taken at birth: the submitting thread waits by taking it again, and whoever wakes it
    (its batch's leader, or the leader before it, when it is to lead next) releases it, exactly once. A
    threading.Event did the same with a condition variable, a waiter lock and a deque on every wait (Event.set
    and Event.wait were the group commit's largest own costs in a sampled profile under load)."""

    __slots__ = ("error", "item", "lead", "result", "wake")

    def __init__(self, item: T) -> None:
        self.item = item
        self.result: R | None = None
        self.error: BaseException | None = None
        self.lead = False
        self.wake = allocate_lock()
        self.wake.acquire()

    def outcome(self) -> R:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]


class GroupCommitter[T, R]:
    """Writes items submitted from many threads in batches; `submit` returns once the item's batch committed."""

    def __init__(
        self,
        write_batch: Callable[[Sequence[T]], Sequence[R]],
        *,
        write_one: Callable[[T], R] | None = None,
        max_batch: int = 64,
        begin: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        self.write_batch = write_batch
        self.write_one = write_one or (lambda item: write_batch([item])[0])
        self.max_batch = max_batch
        self.begin = begin
        self._mutex = threading.Lock()
        self._queue: deque[_Slot[T, R]] = deque()
        self._busy = False
        self._local = threading.local()
        # For tests and the benchmark's curiosity: how many batches, and of what sizes, this process wrote.
        self.batches = 0
        self.items = 0

    def submit(self, item: T) -> R:
        """Write `item` with whatever else is queued; its result, or its exception raised in this thread."""
        if getattr(self._local, "leading", False):
            # It would wait for the batch this very thread is writing.
            raise RuntimeError("GroupCommitter.submit() called from inside write_batch")
        slot: _Slot[T, R] = _Slot(item)
        with self._mutex:
            self._queue.append(slot)
            lead = not self._busy
            self._busy = True
        if not lead:
            slot.wake.acquire()
            if not slot.lead:
                return slot.outcome()
        # Leading: our slot is at the head of the queue (the queue was empty, or the last leader picked us).
        batch: list[_Slot[T, R]] = []
        try:
            self._write(batch)
        finally:
            with self._mutex:
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.wake.release()
                else:
                    self._busy = False
            for other in batch:
                if other is not slot:
                    other.wake.release()
        return slot.outcome()

    def _take(self, batch: list[_Slot[T, R]]) -> None:
        with self._mutex:
            batch.extend(self._queue.popleft() for _ in range(min(self.max_batch, len(self._queue))))
        self.batches += 1
        self.items += len(batch)

    def _write(self, batch: list[_Slot[T, R]]) -> None:
        """Take the queue into `batch` and write it. `begin` starts the batch's transaction first: waiting there
        for the database's write lock (another process is committing), the batch grows with the requests that
        arrive meanwhile, and one commit answers them all."""
        self._local.leading = True
        try:
            try:
                with self.begin():
                    self._take(batch)
                    results = self.write_batch([slot.item for slot in batch])
            except BaseException as exc:
                if not batch:  # the transaction could not begin: fail the leader's own item with it
                    self._take(batch)
                self._fall_back(batch, exc)
            else:
                self._give(batch, results)
        finally:
            self._local.leading = False

    def _fall_back(self, batch: list[_Slot[T, R]], exc: BaseException) -> None:
        """The batch failed as a whole (in writing it, or at its commit)."""
        if not isinstance(exc, Exception):
            # KeyboardInterrupt, SystemExit: every waiting thread learns of it, and the leader re-raises it.
            for slot in batch:
                slot.error = exc
            raise exc
        if len(batch) == 1:
            batch[0].error = exc
            return
        # Which item broke the batch is unknown: give each its own transaction and its own outcome.
        for slot in batch:
            try:
                slot.result = self.write_one(slot.item)
            except Exception as one_exc:
                slot.error = one_exc

    def _give(self, batch: list[_Slot[T, R]], results: Sequence[R]) -> None:
        if len(results) != len(batch):
            error = RuntimeError(f"write_batch returned {len(results)} results for {len(batch)} items")
            for slot in batch:
                slot.error = error
            return
        for slot, result in zip(batch, results, strict=True):
            slot.result = result


def grouped[T, R](
    write_batch: Callable[[Sequence[T]], Sequence[R | Exception]], *, max_batch: int = 64
) -> Callable[[T], R]:
    """A function of one item that writes it with whatever else this process is writing at the same moment (see
    the module); an Exception the batch returns for an item is raised to that item's caller."""

    def write_one(item: T) -> R | Exception:
        return write_batch([item])[0]

    committer: GroupCommitter[T, R | Exception] = GroupCommitter(
        write_batch, write_one=write_one, max_batch=max_batch, begin=transaction.atomic
    )

    def submit(item: T) -> R:
        outcome = write_one(item) if transaction.get_connection().in_atomic_block else committer.submit(item)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    submit.committer = committer  # type: ignore[attr-defined]  # for tests: how many batches of what size
    return submit
