from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation
from kintsugi.cases.models import Case, CaseEvent, Customer, CustomerIdentity, EventKind
from kintsugi.lib.fastinsert import insert_rows

pytestmark = pytest.mark.django_db


def test_rows_read_back_exactly_as_written_with_their_primary_keys(org: Organisation, case: Case) -> None:
    events = [
        CaseEvent(case=case, organisation_id=org.pk, kind=EventKind.NOTE, body=f"note {i} · ghi chú · บันทึก",
                  is_customer_visible=i % 2 == 0, data={"i": i, "tags": ["a", "ข"]},
                  created_at=MONDAY_10AM + timedelta(seconds=i))
        for i in range(3)
    ]
    insert_rows(events, returning_pk=True)

    stored = list(CaseEvent.objects.filter(kind=EventKind.NOTE).order_by("id"))
    assert [e.pk for e in events] == [e.pk for e in stored]
    assert [(e.body, e.is_customer_visible, e.data, e.created_at) for e in stored] == [
        (f"note {i} · ghi chú · บันทึก", i % 2 == 0, {"i": i, "tags": ["a", "ข"]}, MONDAY_10AM + timedelta(seconds=i))
        for i in range(3)
    ]
    assert all(not e._state.adding for e in events)


def test_a_foreign_key_to_an_object_saved_in_the_same_pass_takes_its_new_key(org: Organisation) -> None:
    customer = Customer(organisation=org, name="Chị Mai", created_at=MONDAY_10AM)
    identity = CustomerIdentity(organisation=org, customer=customer, kind="email", value="mai@example.com")
    insert_rows([customer], returning_pk=True)
    insert_rows([identity])

    assert customer.pk is not None
    stored = CustomerIdentity.objects.get(value="mai@example.com")
    assert stored.customer_id == customer.pk
    assert identity.customer is customer  # the cached object survives


def test_more_rows_than_one_statement_holds_are_all_written(org: Organisation, case: Case) -> None:
    events = [CaseEvent(case=case, organisation_id=org.pk, kind=EventKind.NOTE, body=str(i), created_at=MONDAY_10AM)
              for i in range(1203)]
    insert_rows(events, returning_pk=True)

    assert CaseEvent.objects.filter(kind=EventKind.NOTE).count() == 1203
    assert len({e.pk for e in events}) == 1203
    assert CaseEvent.objects.get(pk=events[-1].pk).body == "1202"


def test_nothing_to_insert_runs_no_query(django_assert_num_queries: object) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        insert_rows([])
