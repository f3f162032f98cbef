"""The hot write path's statements on SQLite's own cursor, without Django's cursor layers.

`connection.cursor().execute()` goes through five layers before SQLite sees the statement (the async check, the
cursor wrapper, the execute wrappers, the database-error wrapper, the SQLite cursor's placeholder rewrite):
about 10 us a statement on this machine, against 1.5-2 us on the driver's own cursor. A batch of cases runs a
dozen statements while it holds the database's write lock, so `execute()` runs them on the driver's cursor
directly, keeping what those layers are for: the connection is opened if need be, a statement in a transaction
already marked for rollback is refused (TransactionManagementError), the driver's errors become Django's
(IntegrityError, OperationalError...), and "%s" placeholders become SQLite's "?" (memoised, kintsugi.lib
.sqlitequery). Whenever something watches the statements (query logging: DEBUG, the tests' query counters;
execute wrappers), and on PostgreSQL, the statement takes Django's own path instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

__all__ = ["execute"]


def execute(sql: str, params: Sequence[Any], using: str = DEFAULT_DB_ALIAS) -> list[Any]:
    """Run one statement with "%s" placeholders in the current transaction; the rows it returns ([] for none)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    if connection.connection is None:
        connection.ensure_connection()
    connection.validate_no_broken_transaction()
    query = SQLiteCursorWrapper.convert_query(None, sql)  # type: ignore[arg-type]  # uses no state
    with connection.wrap_database_errors:
        rows: list[Any] = connection.connection.execute(query, params).fetchall()
    return rows
