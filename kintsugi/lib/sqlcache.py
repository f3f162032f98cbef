"""Compiled SQL kept per query shape, for the few reads that run on every page view.

Django builds and compiles a queryset from scratch on every call: for the inbox's page (five joins, 31 columns)
and its tab counts (five subqueries) that is 1-2 ms of CPU, several times what SQLite then needs to answer. The
statement of such a read is the same from one request to the next for the same user, view and filters; only
a few values change (the current time, a cursor). `compile_once` compiles the queryset once per key, with
marker values standing in for those, and remembers where the markers landed among the parameters; `run` puts
the real values there and executes the statement (on SQLite's own cursor, kintsugi.lib.rawexec), converting
the columns as the ORM would (datetimes, booleans).

Only statement text is cached, never data: every call reads the database. The key must name everything the
statement depends on other than the marked values (the user, their organisation and location scope, the view,
the filters); a key that leaves something out would run another user's statement. The cache is per process
and bounded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations
from django.db.models import QuerySet

from kintsugi.lib import dbdatetime
from kintsugi.lib.rawexec import execute

__all__ = ["MARKER_DATETIMES", "MARKER_IDS", "MARKER_TEXTS", "Compiled", "Statement", "clear", "compile_once", "run"]

MAX_ENTRIES = 10_000
# Values no real query uses, so each is found only where the code put it.
MARKER_DATETIMES = (
    datetime(1971, 2, 3, 4, 5, 6, 789012, tzinfo=UTC),
    datetime(1972, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
)
MARKER_IDS = (-7_777_777_771, -7_777_777_773)
MARKER_TEXTS = ("\x00kintsugi-marker-1\x00", "\x00kintsugi-marker-2\x00")


@dataclass(frozen=True, slots=True)
class Statement:
    """SQL written by hand (around compiled querysets): what `build` may return instead of a queryset."""

    db: str
    sql: str
    params: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Compiled:
    db: str
    sql: str
    params: tuple[Any, ...]
    # Marker name -> the positions in params where its value goes, and whether it is a datetime.
    slots: Mapping[str, tuple[tuple[int, ...], bool]]
    # (column position, the converter) doing what the ORM's compiler's converters do to that column.
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]

    def bind(self, values: Mapping[str, Any]) -> list[Any]:
        params = list(self.params)
        if self.slots:
            adapt = dbdatetime.adapter(self.db)
            for name, (positions, is_datetime) in self.slots.items():
                value = values[name]
                adapted = adapt(value) if is_datetime else value
                for position in positions:
                    params[position] = adapted
        return params


_lock = threading.Lock()
_compiled: dict[Hashable, Compiled] = {}


def clear() -> None:
    with _lock:
        _compiled.clear()


def compile_once(
    key: Hashable, build: Callable[..., QuerySet[Any] | Statement], markers: Mapping[str, Any]
) -> Compiled | None:
    """The compiled statement of `build(**markers)` (a queryset, or a Statement) for `key`; None when a marker
    cannot be found among its parameters exactly as given (the caller then runs the queryset itself).
    `markers` maps each variable argument of `build` to one of MARKER_DATETIMES, MARKER_IDS or MARKER_TEXTS."""
    found = _compiled.get(key)
    if found is not None:
        return found
    built = build(**markers)
    compiler = None
    if isinstance(built, Statement):
        db, sql, params = built.db, built.sql, built.params
    else:
        db = built.db
        compiler = built.query.get_compiler(using=db)
        sql, raw_params = compiler.as_sql()
        params = tuple(raw_params)
    connection = connections[db]
    slots: dict[str, tuple[tuple[int, ...], bool]] = {}
    for name, marker in markers.items():
        is_datetime = isinstance(marker, datetime)
        adapted = connection.ops.adapt_datetimefield_value(marker) if is_datetime else marker
        positions = tuple(i for i, param in enumerate(params) if type(param) is type(adapted) and param == adapted)
        if not positions:
            return None
        slots[name] = (positions, is_datetime)
    converters: tuple[tuple[int, Callable[[Any], Any]], ...] = ()
    if compiler is not None and compiler.select:
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, _converter(db, tuple(functions), expression))
            for position, (functions, expression) in compiler.get_converters(fields).items()
        )
    compiled = Compiled(db=db, sql=sql, params=params, slots=slots, converters=converters)
    with _lock:
        if len(_compiled) >= MAX_ENTRIES:
            _compiled.clear()
        _compiled[key] = compiled
    return compiled


def run(compiled: Compiled, values: Mapping[str, Any]) -> Iterator[list[Any]]:
    """Execute with `values` in the markers' places; the rows as lists, converted as the ORM converts them."""
    rows = execute(compiled.sql, compiled.bind(values), compiled.db)
    converters = compiled.converters
    for raw in rows:
        row = list(raw)
        for position, convert in converters:
            row[position] = convert(row[position])
        yield row


def _converter(db: str, functions: tuple[Callable[..., Any], ...], expression: Any) -> Callable[[Any], Any]:
    """One column's converters as one call. SQLite's date-time and boolean columns (a dozen a row on the inbox)
    get equivalent shortcuts; anything else runs Django's converters, with the running thread's connection."""
    if len(functions) == 1 and connections[db].vendor == "sqlite":
        function = getattr(functions[0], "__func__", None)
        if function is SQLiteOperations.convert_datetimefield_value:
            return dbdatetime.reader(db)
        if function is SQLiteOperations.convert_booleanfield_value:
            return _sqlite_boolean

    def convert(value: Any) -> Any:
        connection = connections[db]
        for function in functions:
            value = function(value, expression, connection)
        return value

    return convert


_BOOLEANS = {0: False, 1: True}


def _sqlite_boolean(value: Any) -> Any:
    """As SQLite's convert_booleanfield_value: 0 and 1 become booleans, anything else (None) stays."""
    return _BOOLEANS.get(value, value) if type(value) is int else value
