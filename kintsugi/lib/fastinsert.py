"""Multi-row INSERTs for the hot write path, without the ORM's per-call SQL compilation.

`QuerySet.bulk_create` compiles its INSERT anew on every call and runs every value through the field's
`get_db_prep_save`; on the case-creation path that was about 40 % of a request's CPU. `insert_rows` keeps, per
model and row count, the SQL text, and per field a converter chosen once: plain values (text, numbers,
booleans, foreign key ids) go through untouched, date-times through the backend's adapter (its UTC fast path,
kintsugi.lib.dbdatetime; an auto_now one stamped first, as save() would), JSON dicts and lists through the
backend's JSON adapter, UUIDs as the backend stores them, anything else through the field itself. It is
`bulk_create` for models with no `save()` logic and no signals (our domain models have neither): the same rows,
the primary keys set on the objects when asked, on SQLite and PostgreSQL.

`new(Model, **values)` builds the objects such a path inserts: `Model(**values)` costs 7-35 us (Django walks
every field looking for its keyword), the same object built from positional values 3-11 us; a new case and
what comes with it build a dozen objects. When no pre_init/post_init receiver listens for the model (none does in
this project; the check is made on every call), `new` skips the constructor altogether and fills the instance's
`__dict__` as the positional constructor would (a fresh `ModelState`, then every concrete field's attname):
about 2 us instead of 8-20 on a case.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.fields import NOT_PROVIDED
from django.db.models.signals import post_init, pre_init

from kintsugi.lib import dbdatetime
from kintsugi.lib.rawexec import execute

Converter = Callable[[models.Model], Any]
_PLAIN = (
    models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.FloatField,
    models.SlugField, models.EmailField,
)


def _foreign_key(field: models.ForeignKey[Any, Any]) -> Converter:
    attname, name = field.attname, field.name

    def convert(obj: models.Model) -> Any:
        value = obj.__dict__.get(attname)
        if value is None:
            # An object assigned before it was saved (a case's new customer): take its primary key now.
            related = obj._state.fields_cache.get(name)
            if related is not None:
                value = related.pk
                obj.__dict__[attname] = value  # not setattr: that would drop the cached object
        return value

    return convert


def _converter(field: models.Field[Any, Any], alias: str) -> Converter:
    connection = connections[alias]
    attname = field.attname

    def general(obj: models.Model) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, add=True), connection)

    if isinstance(field, models.ForeignKey):
        return _foreign_key(field)
    if isinstance(field, models.DateTimeField):
        adapt = dbdatetime.adapter(alias)
        if field.auto_now or field.auto_now_add:
            # pre_save stamps the object with the time, as save() would; the stamp is a UTC date-time.
            return lambda obj: adapt(field.pre_save(obj, add=True))
        return lambda obj: adapt(obj.__dict__[attname])
    if isinstance(field, models.JSONField):
        # What get_db_prep_save does with a plain dict or list (the backend's JSON adapter), without the field's
        # layers: 1-2 us against 5-7 a value. None (SQL NULL), expressions and the rest take the field's path.
        adapt_json, encoder = connection.ops.adapt_json_value, field.encoder

        def convert_json(obj: models.Model) -> Any:
            value = obj.__dict__[attname]
            if type(value) is dict or type(value) is list:
                return adapt_json(value, encoder)
            return general(obj)

        return convert_json
    if isinstance(field, models.UUIDField):
        native = connection.features.has_native_uuid_field

        def convert_uuid(obj: models.Model) -> Any:
            value = obj.__dict__[attname]
            if type(value) is uuid.UUID:
                return value if native else value.hex
            return general(obj)

        return convert_uuid
    if isinstance(field, _PLAIN) and not isinstance(field, models.AutoField | models.DecimalField):
        return lambda obj: obj.__dict__[attname]
    return general


@cache
def _plan(model: type[models.Model], alias: str) -> tuple[str, str, str, list[Converter]]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or not isinstance(f, models.AutoField)]
    columns = ", ".join(quote(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = model._meta.pk
    assert pk is not None
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ", row, quote(str(pk.column)), [
        _converter(f, alias) for f in fields
    ]


@cache
def _sql(model: type[models.Model], alias: str, rows: int, returning: bool) -> str:
    head, row, pk, _converters = _plan(model, alias)
    return head + ", ".join([row] * rows) + (f" RETURNING {pk}" if returning else "")


def insert_rows(objs: Sequence[models.Model], *, returning_pk: bool = False) -> None:
    """INSERT these unsaved objects of one model in one statement (in chunks of 500 rows); with returning_pk,
    set each object's primary key from the database, in order, as bulk_create does."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    _head, _row, _pk, converters = _plan(model, alias)
    for start in range(0, len(objs), 500):
        chunk = objs[start:start + 500]
        params = [convert(obj) for obj in chunk for convert in converters]
        returned = execute(_sql(model, alias, len(chunk), returning_pk), params, alias)
        if returning_pk:
            for obj, (pk,) in zip(chunk, returned, strict=True):
                obj.pk = pk
        for obj in chunk:
            obj._state.adding = False
            obj._state.db = alias


@cache
def _layout(
    model: type[models.Model],
) -> tuple[
    list[Any], dict[str, tuple[int, models.Field[Any, Any] | None]], list[tuple[int, models.Field[Any, Any]]], list[str]
]:
    """Per model: each concrete field's default (fixed ones), where each keyword goes (by attname, and by name
    for relations: (position, the relation field)), the fields whose default must be made afresh, and the
    attnames in order."""
    if model._meta.abstract:
        raise TypeError("Abstract models cannot be instantiated.")
    fields = model._meta.concrete_fields
    defaults: list[Any] = []
    places: dict[str, tuple[int, models.Field[Any, Any] | None]] = {}
    fresh: list[tuple[int, models.Field[Any, Any]]] = []
    for position, field in enumerate(fields):
        if field.default is not NOT_PROVIDED and callable(field.default):
            fresh.append((position, field))
            defaults.append(None)
        else:
            defaults.append(field.get_default())
        places[field.attname] = (position, None)
        if field.is_relation:
            places[field.name] = (position, field)
    return defaults, places, fresh, [field.attname for field in fields]


def _construct[M: models.Model](model: type[M], attnames: list[str], args: list[Any]) -> M:
    """`model(*args)` with every concrete field given: without receivers of pre_init/post_init, the constructor
    only makes a fresh ModelState and sets each attname (a foreign key's descriptor stores it in __dict__ too,
    having nothing cached to drop on a new object), so do just that."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(*args)
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(zip(attnames, args, strict=True))
    return obj


def new[M: models.Model](model: type[M], **values: Any) -> M:
    """`model(**values)`, built from positional values: keywords are concrete fields by name or attname (a
    relation by name takes an object, saved or not, as the constructor does); anything else is refused."""
    defaults, places, fresh, attnames = _layout(model)
    args = list(defaults)
    for position, field in fresh:
        if field.attname not in values and field.name not in values:
            args[position] = field.get_default()
    related: list[tuple[models.Field[Any, Any], Any]] = []
    for key, value in values.items():
        place = places.get(key)
        if place is None:
            raise TypeError(f"{model.__name__}() got an unexpected keyword argument '{key}'")
        position, relation = place
        if relation is not None:
            related.append((relation, value))
            value = None if value is None else value.pk
        args[position] = value
    obj = _construct(model, attnames, args)
    for relation, value in related:
        relation.set_cached_value(obj, value)  # type: ignore[attr-defined]
    return obj
