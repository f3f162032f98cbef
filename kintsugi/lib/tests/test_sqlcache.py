"""Compiled statements kept per key: compiled once, run with the marked values, columns converted as the ORM's."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel, SlaPolicy
from kintsugi.lib import sqlcache


@pytest.fixture
def three(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> list[Case]:
    return [
        services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                           description=f"Complaint {i}.", at=MONDAY_10AM + timedelta(hours=i))
        for i in range(3)
    ]


def created_until(now: datetime) -> QuerySet[Case, tuple[Any, ...]]:
    return Case.objects.filter(created_at__lte=now).order_by("id").values_list("id", "created_at", "is_open")


def test_a_statement_is_compiled_once_and_run_with_each_value(three: list[Case]) -> None:
    builds: list[datetime] = []

    def build(now: datetime) -> QuerySet[Case, tuple[Any, ...]]:
        builds.append(now)
        return created_until(now)

    markers = {"now": sqlcache.MARKER_DATETIMES[0]}
    for hours, expected in ((0, 1), (1, 2), (5, 3)):
        compiled = sqlcache.compile_once(("test", "created"), build, markers)
        assert compiled is not None
        at = MONDAY_10AM + timedelta(hours=hours)
        rows = list(sqlcache.run(compiled, {"now": at}))
        assert rows == [list(row) for row in created_until(at)]
        assert len(rows) == expected
    assert builds == [sqlcache.MARKER_DATETIMES[0]]


def test_columns_come_back_as_the_orm_converts_them(three: list[Case]) -> None:
    compiled = sqlcache.compile_once(("test", "types"), created_until, {"now": sqlcache.MARKER_DATETIMES[0]})
    assert compiled is not None
    (pk, created_at, is_open), *_rest = sqlcache.run(compiled, {"now": MONDAY_10AM})
    assert pk == three[0].pk
    assert created_at == MONDAY_10AM
    assert created_at.tzinfo is not None
    assert is_open is True


def test_every_run_reads_the_database(three: list[Case]) -> None:
    compiled = sqlcache.compile_once(("test", "reads"), created_until, {"now": sqlcache.MARKER_DATETIMES[0]})
    assert compiled is not None
    with CaptureQueriesContext(connection) as first:
        before = list(sqlcache.run(compiled, {"now": MONDAY_10AM + timedelta(days=1)}))
    Case.objects.filter(pk=three[0].pk).delete()
    with CaptureQueriesContext(connection) as second:
        after = list(sqlcache.run(compiled, {"now": MONDAY_10AM + timedelta(days=1)}))
    assert len(before) == 3
    assert len(after) == 2
    assert len(first.captured_queries) == len(second.captured_queries) == 1


def test_a_marker_the_statement_does_not_use_is_refused(three: list[Case]) -> None:
    def ignores_the_marker(now: datetime) -> QuerySet[Case, tuple[Any, ...]]:
        return created_until(MONDAY_10AM)

    assert sqlcache.compile_once(("test", "unused"), ignores_the_marker,
                                 {"now": sqlcache.MARKER_DATETIMES[0]}) is None


def test_id_markers_and_several_datetimes(three: list[Case]) -> None:
    def between(after_id: int, since: datetime, now: datetime) -> QuerySet[Case, int]:
        return (Case.objects.filter(id__gt=after_id, created_at__gte=since, created_at__lte=now)
                .order_by("id").values_list("id", flat=True))

    markers = {"after_id": sqlcache.MARKER_IDS[0], "since": sqlcache.MARKER_DATETIMES[0],
               "now": sqlcache.MARKER_DATETIMES[1]}
    compiled = sqlcache.compile_once(("test", "between"), between, markers)
    assert compiled is not None
    values = {"after_id": three[0].pk, "since": MONDAY_10AM, "now": MONDAY_10AM + timedelta(hours=1)}
    assert [row[0] for row in sqlcache.run(compiled, values)] == [three[1].pk]
    assert [row[0] for row in sqlcache.run(compiled, {**values, "after_id": 0})] == [three[0].pk, three[1].pk]


@pytest.mark.parametrize("value", [0, 1, None, True, False, 2])
def test_the_boolean_shortcut_converts_as_sqlites_converter(value: Any) -> None:
    from django.db.backends.sqlite3.operations import DatabaseOperations

    expected = DatabaseOperations.convert_booleanfield_value(None, value, None, None)  # type: ignore[arg-type]
    found = sqlcache._sqlite_boolean(value)
    assert found == expected
    assert type(found) is type(expected)
