"""The SQLite search index survives migrations that rebuild cases_case: its triggers are lifted for `migrate` and
put back after it, with an index row for every case written meanwhile."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from kintsugi.accounts.models import Organisation, Touchpoint
from kintsugi.cases import search_schema, services
from kintsugi.cases.models import Channel

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite index's triggers")

TRIGGERS = ["cases_search_customer_name", "cases_search_delete", "cases_search_insert", "cases_search_update"]


def triggers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'cases_search_%' "
                       "ORDER BY name")
        return [row[0] for row in cursor.fetchall()]


def indexed(case_id: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {search_schema.SQLITE_TABLE} WHERE rowid = %s", [case_id])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_after_the_migrations_that_rebuilt_cases_case_the_triggers_are_there_and_index_new_cases(
    org: Organisation, front_desk: Touchpoint
) -> None:
    # Migrations after the index's (0008 and on) rebuilt cases_case; without the lift they failed or lost these.
    assert triggers() == TRIGGERS
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              description="Nước nóng không có ở phòng 305.")
    text = "nuoc nong khong co o phong 305."
    assert indexed(case.pk) == [f"{case.reference.lower()} {text} {text}"]  # reference, subject, description


@pytest.mark.django_db
def test_a_case_written_while_the_triggers_were_lifted_is_indexed_when_they_come_back(
    org: Organisation, front_desk: Touchpoint
) -> None:
    config = apps.get_app_config("cases")
    search_schema.before_migrate(config, using="default")
    assert triggers() == []
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              description="The lift is broken.")
    assert indexed(case.pk) == []

    search_schema.after_migrate(config, using="default")

    assert triggers() == TRIGGERS
    assert len(indexed(case.pk)) == 1
    assert "the lift is broken." in indexed(case.pk)[0]
