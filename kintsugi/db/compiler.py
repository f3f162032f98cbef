"""INSERTs compiled once per shape: the SQL compiler of both backends (kintsugi.db.sqlite, kintsugi.db.postgresql).

`QuerySet.bulk_create` compiles its INSERT afresh on every call, running every value of every row through the
compiler's layers (`field_as_sql`, `prepare_value`, the placeholder assembly). The statement's text depends only on
the statement's shape: the model's table, its fields, the number of rows, the columns returned and the conflict
clause, as long as every value is a plain value (no expression, no database default) and no field makes its own
placeholder. `SQLInsertCompiler` keeps, per shape, the text Django built the first time, with how its parameters
are laid out, and afterwards only prepares the values (each field's `pre_save` and `get_db_prep_save`, as Django
does, with the layers skipped where they change nothing: `_preparer`) and lays them out the same way.

The first statement of each shape is Django's own, and is kept only when the parameters this module prepares for
it are exactly Django's: a shape this module cannot reproduce (an `auto_now` field stamped twice, a backend's own
parameter handling) is marked and always compiled by Django. Anything else (expressions among the values, a field
with a database default or its own placeholder, raw inserts) takes Django's path every time.

Measured on the case-creation path, 2026-12-07 (opening a case with its timers, event and customer: five INSERTs):
see the figures in docs/performance.md ("Where the speed lives").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import chain
from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Field, Model
from django.db.models.sql import compiler as django_compiler

__all__ = ["MAX_SHAPES", "SQLInsertCompiler", "as_sql_kept", "clear"]

MAX_SHAPES = 4096

# Shape -> (sql, returning params, layout), or None when Django's parameters could not be reproduced.
# Layout "rows": the values row after row, then the returning params; "columns": one list per column
# (PostgreSQL's UNNEST of many rows), then the returning params.
_Kept = tuple[str, tuple[Any, ...], str] | None
_kept: dict[tuple[Any, ...], _Kept] = {}
_plain_fields: dict[tuple[Any, ...], bool] = {}
_lock = threading.Lock()


def clear() -> None:
    with _lock:
        _kept.clear()
        _plain_fields.clear()
        _preparers.clear()


def _fields_are_plain(model: type[Model], fields: Sequence[Field[Any, Any]]) -> bool:
    """Whether the statement's text can depend on nothing but its shape, as far as the fields go."""
    key = (model, tuple(fields))
    plain = _plain_fields.get(key)
    if plain is None:
        plain = all(
            field is not None and not field.has_db_default() and getattr(field, "get_placeholder_sql", None) is None
            for field in fields
        )
        _plain_fields[key] = plain
    return plain


_EXPRESSION = object()  # what a preparer answers for a value that is an expression: Django compiles the statement
_Preparer = Callable[[Model], Any]
_preparers: dict[tuple[str, Field[Any, Any]], _Preparer] = {}

# Fields whose value, of exactly this type, Django passes to the driver as it is: `get_db_prep_save` converts
# (str(), int(), bool()) only values of other types, and these backends adapt none of them.
_PASS_THROUGH: dict[type[Field[Any, Any]], type] = {
    models.CharField: str,
    models.TextField: str,
    models.SlugField: str,
    models.EmailField: str,
    models.BooleanField: bool,
    models.FloatField: float,
}
_INTEGERS = (
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


def _preparer(connection: Any, field: Field[Any, Any]) -> _Preparer:
    """What Django's compiler does to `field`'s value for an INSERT (`pre_save`, then `get_db_prep_save`), with the
    layers skipped where they change nothing: a value of the type the field stores (a str for a CharField, an int
    for an IntegerField or a foreign key to an integer key, an aware date-time for a DateTimeField) goes straight
    to the backend's own adaptation. Anything else takes the field's own path."""
    key = (connection.alias, field)
    prepare = _preparers.get(key)
    if prepare is not None:
        return prepare
    attname, kind = field.attname, type(field)
    integers_as_they_are = (
        type(connection.ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value
    )
    plain: type | None = _PASS_THROUGH.get(kind)
    target = getattr(field, "target_field", None)
    foreign_integer = kind is models.ForeignKey and type(target) in (models.AutoField, models.BigAutoField)
    if plain is None and integers_as_they_are and (kind in _INTEGERS or foreign_integer):
        plain = int

    def general(obj: Model) -> Any:
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression") or hasattr(value, "as_sql"):
            return _EXPRESSION
        return field.get_db_prep_save(value, connection=connection)

    prepare = general
    if plain is not None and kind.pre_save is Field.pre_save:
        nullable = field.null

        def as_it_is(obj: Model) -> Any:
            value = getattr(obj, attname)
            if type(value) is plain or (value is None and nullable):
                return value
            if plain is str and isinstance(value, str):
                return value  # a TextChoices member: Django's to_python passes any str as it is
            if plain is int and isinstance(value, int):
                return int(value)  # an IntegerChoices member, a bool: Django's get_prep_value is int()
            return general(obj)

        prepare = as_it_is
    elif kind is models.DateTimeField and not (field.auto_now or field.auto_now_add):  # type: ignore[attr-defined]
        adapt = connection.ops.adapt_datetimefield_value

        nullable = field.null

        def datetime_value(obj: Model) -> Any:
            value = getattr(obj, attname)
            if value is None and nullable:
                return None
            if type(value) is datetime and value.utcoffset() is not None:
                return adapt(value)
            return general(obj)

        prepare = datetime_value
    with _lock:
        _preparers[key] = prepare
    return prepare


Statements = list[tuple[str, Any]]


def as_sql_kept(compiler: django_compiler.SQLInsertCompiler, as_sql_django: Callable[[], Statements]) -> Statements:
    """`compiler`'s statement: Django's (`as_sql_django`) the first time for its shape, its text kept after."""
    query = compiler.query
    fields = list(query.fields)
    model = query.model
    if not fields or query.raw or model is None or not _fields_are_plain(model, fields):
        return as_sql_django()
    connection = compiler.connection
    preparers = [_preparer(connection, field) for field in fields]
    rows = []
    for obj in query.objs:
        row = []
        for prepare in preparers:
            value = prepare(obj)
            if value is _EXPRESSION:
                return as_sql_django()
            row.append(value)
        rows.append(row)
    returning = tuple(compiler.returning_fields) if compiler.returning_fields else None
    shape = (
        connection.alias, model, tuple(fields), len(rows), returning, getattr(query, "on_conflict", None),
        tuple(getattr(query, "update_fields", None) or ()), tuple(getattr(query, "unique_fields", None) or ()),
    )
    if shape in _kept:
        kept = _kept[shape]
        if kept is None:
            return as_sql_django()
        sql, returning_params, layout = kept
        compiler.returning_params = returning_params
        return [(sql, _laid_out(rows, returning_params, layout))]
    built = as_sql_django()
    kept = None
    if len(built) == 1:
        sql, params = built[0]
        returning_params = tuple(compiler.returning_params or ())
        for layout in ("rows", "columns"):
            if _same(_laid_out(rows, returning_params, layout), tuple(params)):
                kept = (sql, returning_params, layout)
                break
    with _lock:
        if len(_kept) >= MAX_SHAPES:
            _kept.clear()
        _kept[shape] = kept
    return built


def _laid_out(rows: list[list[Any]], returning_params: tuple[Any, ...], layout: str) -> tuple[Any, ...]:
    if layout == "rows":
        return (*chain.from_iterable(rows), *returning_params)
    return (*(list(column) for column in zip(*rows, strict=True)), *returning_params)


def _same(ours: tuple[Any, ...], django: tuple[Any, ...]) -> bool:
    """Exactly the same parameters: equal, and of the same types (1 == True, yet SQLite stores them alike only by
    luck)."""
    if len(ours) != len(django):
        return False
    for mine, theirs in zip(ours, django, strict=True):
        if type(mine) is list and type(theirs) is list:
            if len(mine) != len(theirs) or not all(map(_same_value, mine, theirs)):
                return False
        elif not _same_value(mine, theirs):
            return False
    return True


def _same_value(mine: Any, theirs: Any) -> bool:
    if type(mine) is not type(theirs):
        return False
    if mine == theirs:
        return True
    # psycopg's JSON wrappers (Jsonb) compare by identity: compare what they wrap, and how they will dump it.
    dumps = getattr(mine, "dumps", None), getattr(theirs, "dumps", None)
    return hasattr(mine, "obj") and mine.obj == theirs.obj and dumps[0] == dumps[1]


class SQLInsertCompiler(django_compiler.SQLInsertCompiler):
    def as_sql(self) -> Statements:  # type: ignore[override]
        return as_sql_kept(self, super().as_sql)


SQLCompiler = django_compiler.SQLCompiler
SQLDeleteCompiler = django_compiler.SQLDeleteCompiler
SQLUpdateCompiler = django_compiler.SQLUpdateCompiler
SQLAggregateCompiler = django_compiler.SQLAggregateCompiler
