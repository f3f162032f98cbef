"""Django's PostgreSQL backend, with the SQL compiler that keeps each INSERT's text per shape
(kintsugi.db.postgresql.compiler), as the SQLite backend's does: the same path on both engines."""

from __future__ import annotations

from django.db.backends.postgresql import base
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations


class DatabaseOperations(PostgreSQLOperations):
    compiler_module = "kintsugi.db.postgresql.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
