"""Keep SQLite's planner statistics true to the indexes after a migration changes them.

SQLite keeps no statistics until something runs `ANALYZE` (or `PRAGMA optimize`); once it has, a migration that
drops and recreates indexes leaves rows for some indexes and none for the new ones, and the planner, trusting
the rows it has, can pick the wrong index: the API's case list once sorted a million cases instead of reading
`case_recent` in order. `refresh_statistics(*tables)` makes a RunPython step that analyses those tables again,
only where statistics exist. PostgreSQL keeps statistics per column and autovacuum renews them: nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["refresh_statistics"]


def refresh_statistics(*tables: str) -> Callable[[Any, Any], None]:
    """A migrations.RunPython function that renews the statistics of `tables` where SQLite keeps some."""

    def refresh(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return
            for table in tables:
                cursor.execute(f'ANALYZE "{table}"')

    return refresh
