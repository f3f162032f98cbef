"""The schema's indexes: every foreign key can be followed from its parent without a scan, and the tables that
every complaint writes to keep no index twice over (a single-column index whose column already leads a
composite one costs each insert a second B-tree for nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import query_plan
from kintsugi.accounts.models import ApiToken, User
from kintsugi.cases.models import Case


def _indexes(table: str) -> list[list[str]]:
    """The column lists of every index and unique constraint on `table`, as the database reports them."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [list(c["columns"]) for c in constraints.values()
            if (c["index"] or c["unique"] or c["primary_key"]) and c["columns"]]


# Written for every case opened: by the API, the public form and staff logging alike.
PER_CASE_TABLES = {
    "cases_case", "cases_caseevent", "cases_customer", "cases_customeridentity", "cases_timer", "comms_message",
    "comms_notification", "intake_caseaccesslink", "intake_publicratelimit",
}


def _our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("kintsugi.") and m._meta.managed]


def test_every_foreign_key_leads_an_index(db: Any) -> None:
    missing = []
    for model in _our_models():
        indexes = _indexes(model._meta.db_table)
        for field in model._meta.local_fields:
            if isinstance(field, models.ForeignKey) and not any(cols[0] == field.column for cols in indexes):
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


def test_no_single_column_index_repeats_the_lead_of_a_composite_one(db: Any) -> None:
    doubled = []
    models_written_per_case = [m for m in _our_models() if m._meta.db_table in PER_CASE_TABLES]
    assert {m._meta.db_table for m in models_written_per_case} == PER_CASE_TABLES
    for model in models_written_per_case:
        indexes = _indexes(model._meta.db_table)
        composites = [cols for cols in indexes if len(cols) > 1]
        for cols in indexes:
            if len(cols) == 1 and any(composite[0] == cols[0] for composite in composites):
                doubled.append(f"{model._meta.db_table}.{cols[0]}")
    assert doubled == [], " ".join(doubled)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner output")
@pytest.mark.parametrize("analysed", [False, True], ids=["no statistics", "after ANALYZE"])
def test_the_api_list_reads_the_newest_cases_in_index_order(
    client: Client, supervisor: User, case: Case, analysed: bool
) -> None:
    """GET /api/v1/cases walks case_recent newest first and stops at the page's end; with the wrong index it
    sorts every case of the organisation first (at a million cases, seconds per call)."""
    if analysed:  # as after `ANALYZE` or `PRAGMA optimize`, which the migrations keep current
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _token, raw = ApiToken.issue(supervisor, name="plan")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/cases?limit=25", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    sql = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "cases_case"'))
    plan = query_plan(sql)
    assert any("USING INDEX case_recent" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
