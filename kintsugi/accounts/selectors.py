"""Reads of accounts data that more than one place needs."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from kintsugi.accounts.models import PUBLIC_CODE_ALPHABET, Location, Organisation, Touchpoint
from kintsugi.lib import sqlcache


def normalise_public_code(code: str) -> str:
    """Codes are printed in capitals; accept what a person types (lower case, stray spaces)."""
    return code.strip().upper()


def _columns(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_TOUCHPOINT, _LOCATION, _ORGANISATION = _columns(Touchpoint), _columns(Location), _columns(Organisation)


def _touchpoint_row(code: str) -> QuerySet[Any]:
    return Touchpoint.objects.filter(public_code=code, is_active=True).values_list(
        *_TOUCHPOINT, *(f"location__{name}" for name in _LOCATION),
        *(f"organisation__{name}" for name in _ORGANISATION),
    )[:1]


def touchpoint_by_public_code(code: str) -> Touchpoint | None:
    """The active touchpoint with this public code, with its location and organisation; None otherwise.

    Every QR code scan and every public form submission starts here, so the statement is compiled once per
    process (kintsugi.lib.sqlcache) and the three objects are built from its one row."""
    code = normalise_public_code(code)
    if not code or len(code) > 16 or not set(code) <= set(PUBLIC_CODE_ALPHABET):
        return None  # cannot exist: spare the database the query
    compiled = sqlcache.compile_once("touchpoint_by_public_code", _touchpoint_row,
                                     {"code": sqlcache.MARKER_TEXTS[0]})
    assert compiled is not None
    row = next(sqlcache.run(compiled, {"code": code}), None)
    if row is None:
        return None
    a, b = len(_TOUCHPOINT), len(_TOUCHPOINT) + len(_LOCATION)
    return joined_touchpoint(
        Touchpoint.from_db(compiled.db, _TOUCHPOINT, row[:a]),
        Location.from_db(compiled.db, _LOCATION, row[a:b]),
        Organisation.from_db(compiled.db, _ORGANISATION, row[b:]),
    )


def joined_touchpoint(touchpoint: Touchpoint, location: Location, organisation: Organisation) -> Touchpoint:
    """The touchpoint with its location and organisation (and the location's organisation) set as if read with
    select_related: what touchpoint_by_public_code and its per-process copies hand out."""
    Touchpoint.location.field.set_cached_value(touchpoint, location)
    Touchpoint.organisation.field.set_cached_value(touchpoint, organisation)
    Location.organisation.field.set_cached_value(location, organisation)
    return touchpoint
