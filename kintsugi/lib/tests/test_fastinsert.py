from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation
from kintsugi.cases.models import Case, CaseEvent, Customer, CustomerIdentity, EventKind, Timer, TimerKind
from kintsugi.lib.fastinsert import insert_rows, new

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


def _same(built: object, expected: object) -> None:
    def state(obj: object) -> dict[str, object]:
        return {k: v for k, v in vars(obj).items() if k != "_state"}

    assert type(built) is type(expected)
    assert state(built) == state(expected)
    assert built._state.fields_cache == expected._state.fields_cache  # type: ignore[attr-defined]
    assert (built._state.adding, built._state.db) == (True, None)  # type: ignore[attr-defined]


def test_new_builds_the_object_the_constructor_builds(org: Organisation, case: Case) -> None:
    unsaved = Customer(organisation=org, name="Chị Mai", created_at=MONDAY_10AM)
    for model, values in [
        (Case, {"organisation": org, "customer": unsaved, "location_id": case.location_id, "touchpoint": None,
                "channel": "web", "severity": 4, "description": "Phòng bẩn", "created_at": MONDAY_10AM,
                "updated_at": MONDAY_10AM}),
        (Timer, {"case": case, "organisation_id": org.pk, "kind": TimerKind.FIRST_RESPONSE_BREACH,
                 "due_at": MONDAY_10AM}),
        (CaseEvent, {"case": case, "organisation_id": org.pk, "kind": EventKind.CREATED, "actor": None,
                     "data": {"repeat_failure": False}, "created_at": MONDAY_10AM}),
        (CaseEvent, {"case_id": case.pk, "organisation_id": org.pk, "kind": EventKind.NOTE,  # data: its default
                     "created_at": MONDAY_10AM}),
        (CustomerIdentity, {"organisation_id": org.pk, "customer": unsaved, "kind": "email", "value": "m@x.vn"}),
    ]:
        _same(new(model, **values), model(**values))


def test_new_makes_a_fresh_default_for_each_object(case: Case) -> None:
    one, two = (new(CaseEvent, case=case, organisation_id=case.organisation_id, kind=EventKind.NOTE)
                for _ in range(2))
    assert one.data == two.data == {}
    assert one.data is not two.data


def test_new_refuses_what_the_constructor_refuses(case: Case) -> None:
    with pytest.raises(TypeError):
        new(Timer, case=case, colour="red")


def test_new_runs_the_constructor_when_something_listens_for_its_signals(case: Case) -> None:
    from django.db.models.signals import post_init

    seen: list[object] = []

    def listen(sender: type, instance: object, **kwargs: object) -> None:
        seen.append(instance)

    post_init.connect(listen, sender=Timer)
    try:
        timer = new(Timer, case=case, organisation_id=case.organisation_id, kind=TimerKind.RESOLUTION_BREACH,
                    due_at=MONDAY_10AM)
    finally:
        post_init.disconnect(listen, sender=Timer)
    assert seen == [timer]
    other = new(Timer, case=case, organisation_id=case.organisation_id, kind=TimerKind.RESOLUTION_BREACH,
                due_at=MONDAY_10AM)
    assert seen == [timer]  # disconnected: the fast path again, unseen
    assert other.kind == TimerKind.RESOLUTION_BREACH


def test_new_builds_the_api_principals_models_as_their_constructors_do(org: Organisation) -> None:
    from kintsugi.accounts.models import User

    values = {"id": 42, "username": "api-bot", "organisation_id": org.pk, "is_active": True,
              "date_joined": MONDAY_10AM}  # its default is the time of the call
    _same(new(User, **values), User(**values))
    fixed = {"id": org.pk, "name": org.name, "created_at": MONDAY_10AM}
    _same(new(Organisation, **fixed), Organisation(**fixed))


def test_uuid_json_and_auto_now_columns_are_stored_as_the_orm_stores_them() -> None:
    # The database queue's task rows: a UUID key, an auto_now_add time, JSON fields holding a dict, a list and a
    # JSON null. The stored values themselves (read raw) are those bulk_create stores.
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    def row() -> DBTaskResult:  # type: ignore[type-arg]  # generic over its task's result, unused here
        return new(DBTaskResult, args_kwargs={"args": [42], "kwargs": {"note": "ghi chú"}}, priority=5,
                   task_path="kintsugi.comms.tasks.send_message", queue_name="default",
                   run_after=MONDAY_10AM, backend_name="default")

    before = timezone.now()
    theirs, ours = row(), row()
    DBTaskResult.objects.bulk_create([theirs])
    insert_rows([ours])

    assert ours.enqueued_at >= before  # stamped as save() stamps it
    columns = [str(f.column) for f in DBTaskResult._meta.concrete_fields if f.column not in ("id", "enqueued_at")]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(columns)} FROM {DBTaskResult._meta.db_table} ORDER BY enqueued_at")
        stored = cursor.fetchall()
    assert len(stored) == 2
    assert stored[0][1:] == stored[1][1:]
    assert [type(r[0]) for r in stored] == [type(r[0]) for r in stored[:1]] * 2
    assert DBTaskResult.objects.get(id=ours.id).args_kwargs == {"args": [42], "kwargs": {"note": "ghi chú"}}
    assert DBTaskResult.objects.filter(return_value__isnull=True).count() == 2
