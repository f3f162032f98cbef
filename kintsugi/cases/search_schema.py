"""The case search index, per database engine: its DDL (run by migration 0007) and the SQL function it calls.
On SQLite the triggers are lifted around every `migrate` and put back after it (before_migrate, after_migrate).

SQLite: an FTS5 table `cases_search` with the `trigram` tokenizer (any substring of three characters or more,
Thai without spaces included) holding each case's folded reference, subject, description and customer name, kept
by triggers on `cases_case` and `cases_customer`; the triggers call `kintsugi_fold`, textfold.fold registered on
every connection (register_sqlite_functions). So the write path of cases has no search code of its own.

PostgreSQL: pg_trgm GIN indexes on expressions, `kintsugi_fold(reference || ' ' || subject || ' ' || description)`
on cases and `kintsugi_fold(name)` on customers, kintsugi_fold being an IMMUTABLE SQL function that reproduces
textfold.fold with translate() (tests/test_search_fold.py checks both agree).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db import connections

from kintsugi.cases import textfold

FOLD_FUNCTION = "kintsugi_fold"
SQLITE_TABLE = "cases_search"
# What a case's index row holds, as SQL over the new row `c` (trigger) and its customer.
_SQLITE_ROW = (
    f"{FOLD_FUNCTION}(c.reference || ' ' || c.subject || ' ' || c.description || ' ' || "
    "COALESCE((SELECT name FROM cases_customer WHERE id = c.customer_id), ''))"
)
# The case expression of the PostgreSQL index; search.py's queries repeat it exactly, so the planner uses it.
PG_CASE_TEXT = f"{FOLD_FUNCTION}(\"cases_case\".\"reference\" || ' ' || \"cases_case\".\"subject\" || ' ' || " \
    "\"cases_case\".\"description\")"
PG_CUSTOMER_TEXT = f"{FOLD_FUNCTION}(\"cases_customer\".\"name\")"


def _sqlite_row(alias: str) -> str:
    return _SQLITE_ROW.replace("c.", f"{alias}.")


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS cases_search_insert AFTER INSERT ON cases_case BEGIN
        INSERT INTO {SQLITE_TABLE} (rowid, body) VALUES (NEW.id, {_sqlite_row("NEW")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_search_update AFTER UPDATE OF reference, subject, description, customer_id
        ON cases_case
        WHEN OLD.reference IS NOT NEW.reference OR OLD.subject IS NOT NEW.subject
          OR OLD.description IS NOT NEW.description OR OLD.customer_id IS NOT NEW.customer_id BEGIN
        UPDATE {SQLITE_TABLE} SET body = {_sqlite_row("NEW")} WHERE rowid = NEW.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_search_delete AFTER DELETE ON cases_case BEGIN
        DELETE FROM {SQLITE_TABLE} WHERE rowid = OLD.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_search_customer_name AFTER UPDATE OF name ON cases_customer
        WHEN OLD.name IS NOT NEW.name BEGIN
        UPDATE {SQLITE_TABLE} SET body = (SELECT {_SQLITE_ROW} FROM cases_case c WHERE c.id = {SQLITE_TABLE}.rowid)
        WHERE rowid IN (SELECT id FROM cases_case WHERE customer_id = NEW.id);
    END""",
]
SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS cases_search_customer_name",
    "DROP TRIGGER IF EXISTS cases_search_delete",
    "DROP TRIGGER IF EXISTS cases_search_update",
    "DROP TRIGGER IF EXISTS cases_search_insert",
]
# Index rows for the cases that have none (written while the triggers were away, during a migration).
SQLITE_FILL = (
    f"INSERT INTO {SQLITE_TABLE} (rowid, body) SELECT c.id, {_SQLITE_ROW} FROM cases_case c "
    f"WHERE c.id NOT IN (SELECT rowid FROM {SQLITE_TABLE})"
)
# The migration makes the table and fills it; its triggers come with the end of that `migrate` (after_migrate).
SQLITE_INSTALL = [
    f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(body, tokenize = 'trigram case_sensitive 1', columnsize = 0)",
    SQLITE_FILL,
]
SQLITE_UNINSTALL = [*SQLITE_DROP_TRIGGERS, f"DROP TABLE IF EXISTS {SQLITE_TABLE}"]


def _pg_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def pg_fold_function() -> str:
    """CREATE FUNCTION kintsugi_fold: lower(), the diacritics of textfold translated (combining marks deleted),
    whitespace collapsed; IMMUTABLE, so an index may use it."""
    source, target = textfold.pg_translate_tables()
    marks = "".join(chr(point) for point in range(0x0300, 0x0370))
    return (
        f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT btrim(regexp_replace(translate(lower($1), {_pg_literal(source + marks)}, "
        f"{_pg_literal(target)}), '\\s+', ' ', 'g')) $$"
    )


def pg_install() -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        pg_fold_function(),
        f"CREATE INDEX case_search_trgm ON cases_case USING gin (({PG_CASE_TEXT}) gin_trgm_ops)",
        f"CREATE INDEX customer_name_trgm ON cases_customer USING gin (({PG_CUSTOMER_TEXT}) gin_trgm_ops)",
    ]


PG_UNINSTALL = [
    "DROP INDEX IF EXISTS customer_name_trgm",
    "DROP INDEX IF EXISTS case_search_trgm",
    f"DROP FUNCTION IF EXISTS {FOLD_FUNCTION}(text)",
]


def register_sqlite_functions(connection: sqlite3.Connection) -> None:
    """Make kintsugi_fold callable on a raw SQLite connection (the index triggers need it to write cases)."""
    connection.create_function(FOLD_FUNCTION, 1, _fold_or_null, deterministic=True)


def _fold_or_null(value: Any) -> str | None:
    return None if value is None else textfold.fold(str(value))


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: every SQLite connection Django opens gets kintsugi_fold."""
    if connection.vendor == "sqlite":
        register_sqlite_functions(connection.connection)


def _has_index(connection: Any) -> bool:
    return SQLITE_TABLE in connection.introspection.table_names()


def before_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """pre_migrate receiver. A migration that changes cases_case on SQLite rebuilds the table (a new one copied,
    the old dropped, the new renamed): that would drop the triggers on it and fail on the one on cases_customer,
    which names cases_case. So the triggers are lifted for the migration and put back after it."""
    connection = connections[using]
    if connection.vendor == "sqlite" and _has_index(connection):
        with connection.cursor() as cursor:
            for statement in SQLITE_DROP_TRIGGERS:
                cursor.execute(statement)


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: the triggers back, and an index row for every case written meanwhile."""
    connection = connections[using]
    if connection.vendor == "sqlite" and _has_index(connection):
        register_sqlite_functions(connection.connection)
        with connection.cursor() as cursor:
            for statement in [*SQLITE_TRIGGERS, SQLITE_FILL]:
                cursor.execute(statement)


def install(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        register_sqlite_functions(schema_editor.connection.connection)
        statements = SQLITE_INSTALL
    elif vendor == "postgresql":
        statements = pg_install()
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = SQLITE_UNINSTALL if vendor == "sqlite" else PG_UNINSTALL if vendor == "postgresql" else []
    for statement in statements:
        schema_editor.execute(statement, params=None)
