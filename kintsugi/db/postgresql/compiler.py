"""PostgreSQL's SQL compilers (its INSERT of many rows through UNNEST included), with each INSERT's text kept per
shape (kintsugi.db.compiler)."""

from __future__ import annotations

from django.db.backends.postgresql import compiler as postgresql_compiler

from kintsugi.db.compiler import Statements, as_sql_kept

__all__ = ["SQLAggregateCompiler", "SQLCompiler", "SQLDeleteCompiler", "SQLInsertCompiler", "SQLUpdateCompiler"]

SQLAggregateCompiler = postgresql_compiler.SQLAggregateCompiler
SQLCompiler = postgresql_compiler.SQLCompiler
SQLDeleteCompiler = postgresql_compiler.SQLDeleteCompiler
SQLUpdateCompiler = postgresql_compiler.SQLUpdateCompiler


class SQLInsertCompiler(postgresql_compiler.SQLInsertCompiler):
    def as_sql(self) -> Statements:  # type: ignore[override]
        return as_sql_kept(self, super().as_sql)
