"""Planner statistics renewed after a migration changes indexes, where SQLite keeps some."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from kintsugi.lib.plannerstats import refresh_statistics


class _Editor:
    connection = connection


def _stat_indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = %s", [table])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's sqlite_stat1")
def test_a_new_index_gets_statistics_where_the_database_keeps_some(db: Any, case: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute('CREATE INDEX "plan_probe" ON "cases_case" ("organisation_id", "severity")')
    assert "plan_probe" not in _stat_indexes("cases_case")
    refresh_statistics("cases_case")(None, _Editor())
    assert "plan_probe" in _stat_indexes("cases_case")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's sqlite_stat1")
def test_a_database_without_statistics_is_left_without(db: Any, case: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    refresh_statistics("cases_case")(None, _Editor())
    assert _stat_indexes("cases_case") == set()
