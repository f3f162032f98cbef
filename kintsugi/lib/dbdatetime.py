"""Date-times as the database stores them, without Django's per-value checks on the hot write paths.

On SQLite, `DatabaseOperations.adapt_datetimefield_value` checks each value for awareness, reads
`settings.USE_TZ`, converts it to the connection's time zone and formats it: about 5-7 us a value, and a new
case writes two dozen of them (the case, its four timers, its event; a public form submission also its link,
message and task). Every aware date-time we write comes from `timezone.now()` or arithmetic on it, so its
`tzinfo` is `datetime.UTC`; when the connection's time zone is UTC too (Django's default for SQLite), the
stored text is `str()` of the naive value, which `adapter()` produces directly. Anything else (another backend,
another time zone, a naive value, None) goes through Django's own adapter unchanged, so the stored value is
always the one Django would store (tests/test_dbdatetime.py compares the two).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections

__all__ = ["adapter", "build_adapter", "build_reader", "reader"]


def build_adapter(alias: str = "default") -> Callable[[datetime | None], Any]:
    """What `connections[alias].ops.adapt_datetimefield_value` returns for a value, faster for UTC values."""
    connection = connections[alias]
    adapt: Callable[[datetime | None], Any] = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ or connection.timezone is not UTC:
        return adapt

    def adapt_utc(value: datetime | None) -> Any:
        if type(value) is datetime and value.tzinfo is UTC:
            return str(value.replace(tzinfo=None))
        return adapt(value)

    return adapt_utc


# One per database alias for the process: what it depends on (vendor, USE_TZ, the database's TIME_ZONE) is fixed
# at start-up, and the fallback's behaviour is the same on every thread's connection.
adapter = cache(build_adapter)


def build_reader(alias: str = "default") -> Callable[[Any], datetime | None]:
    """What `connections[alias].ops.convert_datetimefield_value` makes of a column's value, faster on SQLite in
    UTC: a naive date-time (what the driver already parsed from a column declared "datetime") or the stored text
    (from an expression's column, read with `datetime.fromisoformat`) is made aware in UTC directly, without
    Django's checks and conversions (about five times slower; the inbox reads 200 a view)."""
    connection = connections[alias]
    convert: Callable[[Any, Any, Any], datetime | None] = getattr(connection.ops, "convert_datetimefield_value")  # noqa: B009 - SQLite's, untyped

    def read(value: Any) -> datetime | None:
        return convert(value, None, connection)

    if connection.vendor != "sqlite" or not settings.USE_TZ or connection.timezone is not UTC:
        return read

    def read_utc(value: Any) -> datetime | None:
        if type(value) is datetime:
            # Django's SQLite backend has the driver parse columns declared "datetime" already (naive, in UTC).
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value
        if value is None:
            return None
        if type(value) is str:
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                return read(value)
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
        return read(value)

    return read_utc


reader = cache(build_reader)
