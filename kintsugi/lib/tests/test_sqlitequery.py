from __future__ import annotations

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from kintsugi.lib import sqlitequery


def _original(query: str) -> str:
    original = SQLiteCursorWrapper.convert_query.original  # type: ignore[attr-defined]
    return str(original(None, query))


def test_it_is_installed_when_django_starts() -> None:
    assert sqlitequery.installed()


@pytest.mark.parametrize("query", [
    "SELECT 1",
    "SELECT * FROM t WHERE a = %s AND b IN (%s, %s)",
    "SELECT '100%%' || %s",
    "INSERT INTO t (a, b) VALUES (%s, %s), (%s, %s)",
])
def test_the_memo_gives_what_django_gives_the_first_time_and_after(query: str) -> None:
    convert = SQLiteCursorWrapper.convert_query
    first, again = convert(None, query), convert(None, query)  # type: ignore[arg-type]
    assert first == again == _original(query)


def test_named_parameters_are_left_to_django() -> None:
    query = "SELECT %(a)s, %(b)s"
    assert SQLiteCursorWrapper.convert_query(None, query, param_names=["a", "b"]) == "SELECT :a, :b"  # type: ignore[arg-type]


def test_the_memo_starts_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlitequery, "MAX_ENTRIES", 2)
    monkeypatch.setattr(sqlitequery, "_converted", {})
    for n in range(5):
        assert SQLiteCursorWrapper.convert_query(None, f"SELECT {n}, %s") == f"SELECT {n}, ?"  # type: ignore[arg-type]
    assert len(sqlitequery._converted) <= 2


def test_installing_twice_wraps_once() -> None:
    before = SQLiteCursorWrapper.convert_query
    sqlitequery.install()
    assert SQLiteCursorWrapper.convert_query is before


@pytest.mark.django_db
def test_queries_still_run_with_their_parameters() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's cursor only")
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute("SELECT %s || '%%', %s", ["50", 7])
            assert cursor.fetchone() == ("50%", 7)
