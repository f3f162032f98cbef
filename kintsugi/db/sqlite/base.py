"""Django's SQLite backend, with write transactions queued for the database's write lock (kintsugi.db.writer).

Every transaction begins IMMEDIATE (settings: OPTIONS transaction_mode), which takes SQLite's write lock at BEGIN;
this backend enters the process's writer queue just before and leaves it when the transaction commits, rolls
back or its connection closes. An in-memory database (the tests') lives in one process: nothing to queue for.

Its SQL compiler keeps each INSERT's text per shape (kintsugi.db.compiler), and its cursor remembers each
statement's placeholders rewritten for SQLite.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations

from kintsugi.db.writer import WriterQueue

MAX_STATEMENTS = 4096
_converted: dict[str, str] = {}


class DatabaseOperations(SQLiteOperations):
    compiler_module = "kintsugi.db.compiler"

    def adapt_datetimefield_value(self, value: Any) -> Any:
        """Django's: a UTC date-time written as its naive text in the connection's UTC, in one step when it is
        already in UTC (the time zone conversion Django makes first was a quarter of a case's INSERT preparation,
        a dozen date-time columns a case)."""
        if type(value) is datetime and value.tzinfo is UTC and self.connection.timezone is UTC:
            return str(value.replace(tzinfo=None))
        return super().adapt_datetimefield_value(value)


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    """Django's, with each statement's "%s" placeholders rewritten to SQLite's "?" once (a regular expression over
    the whole statement on every execution, 1.5 % of a case creation's CPU under load)."""

    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        converted = _converted.get(query)
        if converted is None:
            converted = super().convert_query(query)
            if len(_converted) >= MAX_STATEMENTS:
                _converted.clear()
            _converted[query] = converted
        return converted


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

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

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=SQLiteCursorWrapper)

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
