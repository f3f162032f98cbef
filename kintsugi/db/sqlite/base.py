"""Django's SQLite backend, with write transactions queued for the database's write lock (kintsugi.db.writer).

Every transaction begins IMMEDIATE (settings: OPTIONS transaction_mode), which takes SQLite's write lock at BEGIN;
this backend enters the process's writer queue just before and leaves it when the transaction commits, rolls
back or its connection closes. An in-memory database (the tests') lives in one process: nothing to queue for.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base

from kintsugi.db.writer import WriterQueue


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue: WriterQueue | None = None
        self._queued = False

    def _start_transaction_under_autocommit(self) -> None:
        if self._queue is None and not self.is_in_memory_db():
            self._queue = WriterQueue.of(str(self.settings_dict["NAME"]))
        if self._queue is not None and not self._queued:
            self._queue.enter()
            self._queued = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # untyped in django-stubs
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        if self._queued and self._queue is not None:
            self._queued = False
            self._queue.leave()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._leave_queue()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._leave_queue()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._leave_queue()
