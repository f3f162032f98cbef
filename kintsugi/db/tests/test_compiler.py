"""INSERTs kept per shape (kintsugi.db.compiler): after the first statement of a shape, the kept text with freshly
prepared values is exactly what Django's own compiler writes, on SQLite and PostgreSQL; what it cannot reproduce
takes Django's path."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import IntegerChoices, Model, Value
from django.db.models.functions import Upper
from django.db.models.sql import InsertQuery
from django.db.models.sql import compiler as django_compiler

from kintsugi.accounts.models import Location, Organisation
from kintsugi.cases.models import Case, CaseEvent, Channel, Customer, Priority, Timer
from kintsugi.db import compiler as kept
from kintsugi.db.sqlite.base import DatabaseWrapper as SQLiteWrapper

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def _statements(objs: Sequence[Model], *, django: bool = False, returning: bool = True) -> list[tuple[str, Any]]:
    """The INSERT of `objs` as the backend's compiler writes it, or as Django's own would (`django`)."""
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    query = InsertQuery(model)
    query.insert_values(fields, list(objs))
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [model._meta.pk] if returning else None
    if django:
        parent: Any = type(compiler).__mro__[1]  # the backend's parent: Django's compiler
        return parent.as_sql(compiler)  # type: ignore[no-any-return]
    return compiler.as_sql()  # type: ignore[no-any-return]


def _comparable(statements: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Statements whose parameters compare by value (psycopg's Jsonb wrapper compares by identity)."""
    def value(p: Any) -> Any:
        if type(p) is list:
            return [value(item) for item in p]
        return (type(p).__name__, p.obj) if hasattr(p, "obj") else p

    return [(sql, tuple(value(p) for p in params)) for sql, params in statements]


def _events(org: Organisation, case: Case, bodies: list[Any]) -> list[CaseEvent]:
    return [CaseEvent(case=case, organisation=org, kind="note", body=body, data={"n": n}, created_at=AT)
            for n, body in enumerate(bodies)]


@pytest.fixture
def case(org: Organisation, hanoi: Location) -> Case:
    return Case.objects.create(organisation=org, location=hanoi, reference="K-2026-900001", channel="api",
                               description="Khăn tắm bẩn.", created_at=AT, updated_at=AT)


def test_the_backends_use_the_kept_insert_compiler() -> None:
    assert issubclass(connection.ops.compiler("SQLInsertCompiler"), django_compiler.SQLInsertCompiler)
    compiler: Any = connection.ops.compiler("SQLInsertCompiler")
    assert compiler.as_sql is not django_compiler.SQLInsertCompiler.as_sql
    assert connection.ops.compiler_module.startswith("kintsugi.db.")


@pytest.mark.parametrize("rows", [1, 3])
def test_a_kept_shape_writes_what_django_writes(org: Organisation, case: Case, rows: int) -> None:
    kept.clear()
    first = _statements(_events(org, case, [f"đầu {n}" for n in range(rows)]))
    assert len(kept._kept) == 1
    assert next(iter(kept._kept.values())) is not None  # this shape is reproducible: its text is kept
    # Other values in the same shape: the kept text, the new values, exactly as Django's own compiler has them.
    objs = _events(org, case, [f"ครั้งที่ {n}" for n in range(rows)])
    assert _comparable(_statements(objs)) == _comparable(_statements(objs, django=True))
    assert _statements(objs)[0][0] == first[0][0]
    assert len(kept._kept) == 1


def test_values_of_another_type_are_prepared_as_django_prepares_them(org: Organisation, case: Case) -> None:
    kept.clear()
    _statements(_events(org, case, ["a text"]))
    # A number for a text column, a naive-free date-time, a None: the field's own path, the same result.
    odd = _events(org, case, [12345])
    assert _comparable(_statements(odd)) == _comparable(_statements(odd, django=True))
    assert _statements(odd)[0][1][5] == "12345"


def test_an_expression_among_the_values_takes_djangos_path(org: Organisation, case: Case) -> None:
    kept.clear()
    _statements(_events(org, case, ["plain"]))
    objs = _events(org, case, [Upper(Value("khăn"))])
    sql, _params = _statements(objs)[0]
    assert "UPPER" in sql
    assert _comparable(_statements(objs)) == _comparable(_statements(objs, django=True))


def test_a_shape_django_stamps_afresh_is_never_kept(org: Organisation) -> None:
    kept.clear()
    # Location.updated_at is auto_now: Django stamps it anew on every compilation, so ours never matches.
    objs = [Location(organisation=org, name="Huế", code="hue")]
    _statements(objs)
    assert list(kept._kept.values()) == [None]
    sql, params = _statements(objs)[0]
    assert sql.startswith("INSERT INTO")
    assert len(params) >= 10


def test_bulk_create_through_the_kept_text_stores_the_same_rows(org: Organisation, case: Case) -> None:
    kept.clear()
    for round_ in range(3):
        CaseEvent.objects.bulk_create(_events(org, case, [f"lần {round_}-{n}" for n in range(2)]))
        Timer.objects.bulk_create([Timer(organisation=org, case=case, kind="fr_warning", due_at=AT, state="pending")])
    rows = list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("body", "data", "created_at"))
    assert rows == [(f"lần {r}-{n}", {"n": n}, AT) for r in range(3) for n in range(2)]
    assert list(Timer.objects.filter(case=case).values_list("due_at", flat=True)) == [AT, AT, AT]
    new = Customer.objects.bulk_create([Customer(organisation=org, name=f"Khách {n}", created_at=AT) for n in range(2)])
    assert all(customer.pk for customer in new)
    assert sorted(Customer.objects.filter(pk__in=[c.pk for c in new]).values_list("name", flat=True)) == [
        "Khách 0", "Khách 1"]


def test_sqlite_writes_a_utc_date_time_as_django_does() -> None:
    settings_dict: dict[str, Any] = {
        "ENGINE": "kintsugi.db.sqlite", "NAME": ":memory:", "TIME_ZONE": None, "OPTIONS": {}, "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {}, "USER": "",
        "PASSWORD": "", "HOST": "", "PORT": "",
    }
    ours = SQLiteWrapper(settings_dict).ops
    djangos: Any = SQLiteWrapper.ops_class.__mro__[1]  # Django's SQLite operations
    django = djangos(SQLiteWrapper(settings_dict))
    bangkok = ZoneInfo("Asia/Bangkok")
    for value in (AT, AT.replace(microsecond=123456), datetime(2026, 1, 1, 7, tzinfo=bangkok), None):
        assert ours.adapt_datetimefield_value(value) == django.adapt_datetimefield_value(value)
    assert ours.adapt_datetimefield_value(AT) == "2026-12-07 09:30:00"
    assert ours.adapt_datetimefield_value(datetime(2026, 1, 1, 7, tzinfo=bangkok)) == "2026-01-01 00:00:00"


def test_choices_members_and_numbers_of_another_type_are_written_as_django_writes_them(
    org: Organisation, hanoi: Location
) -> None:
    kept.clear()

    def cases(**values: Any) -> list[Case]:
        return [Case(organisation=org, location=hanoi, reference=f"K-2026-9{n:05d}", description="x", created_at=AT,
                     updated_at=AT, **values) for n in range(2)]

    class Level(IntegerChoices):
        FOUR = 4

    _statements(cases(channel="api", priority="normal", severity=3, resolution_consumed_s=0.0))
    for values in (
        {"channel": Channel.WEB, "priority": Priority.HIGH, "severity": Level.FOUR, "resolution_consumed_s": 1.5},
        {"channel": "phone", "priority": "urgent", "severity": True, "resolution_consumed_s": 2},
    ):
        objs = cases(**values)
        ours, django = _statements(objs), _statements(objs, django=True)
        assert _comparable(ours) == _comparable(django)
        assert [type(p) for p in ours[0][1]] == [type(p) for p in django[0][1]]
