"""Reads of accounts data that more than one place needs."""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import Model

from kintsugi.accounts.models import PUBLIC_CODE_ALPHABET, Location, Organisation, Touchpoint
from kintsugi.lib.kept import Kept


def normalise_public_code(code: str) -> str:
    """Codes are printed in capitals; accept what a person types (lower case, stray spaces)."""
    return code.strip().upper()


# Every public form page and submission starts by finding its touchpoint, with its location and organisation: a
# join of 60 columns and three objects, a quarter of a submission's CPU. Each process keeps what it found for
# TOUCHPOINT_CACHE_SECONDS and hands out fresh objects built from it; a touchpoint switched off meanwhile still
# shows its form here for as long, and submitting it is refused (intake.services checks in its transaction).
TOUCHPOINT_CACHE_SECONDS = 10.0
_Row = tuple[str, tuple[Any, ...]]  # the database alias the row came from, its concrete fields' values
_touchpoints: Kept[str, tuple[_Row, _Row, _Row]] = Kept()


def clear_caches() -> None:
    _touchpoints.clear()


def _row(obj: Model) -> _Row:
    return obj._state.db or "default", tuple(getattr(obj, field.attname) for field in obj._meta.concrete_fields)


def _built[M: Model](model: type[M], row: _Row) -> M:
    """A new object from a kept row (its JSON values copied: no request changes another's)."""
    db, values = row
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(db, names, [copy.deepcopy(v) if isinstance(v, dict | list) else v for v in values])


def touchpoint_by_public_code(code: str) -> Touchpoint | None:
    """The active touchpoint with this public code, with its location and organisation; None otherwise. As this
    process found it at most TOUCHPOINT_CACHE_SECONDS ago."""
    code = normalise_public_code(code)
    if not code or len(code) > 16 or not set(code) <= set(PUBLIC_CODE_ALPHABET):
        return None  # cannot exist: spare the database the query

    def read() -> tuple[_Row, _Row, _Row] | None:
        found = Touchpoint.objects.select_related("location", "organisation").filter(
            public_code=code, is_active=True
        ).first()
        return None if found is None else (_row(found), _row(found.location), _row(found.organisation))

    kept = _touchpoints.get(code, TOUCHPOINT_CACHE_SECONDS, read)
    if kept is None:
        return None
    return joined_touchpoint(_built(Touchpoint, kept[0]), _built(Location, kept[1]), _built(Organisation, kept[2]))


def joined_touchpoint(touchpoint: Touchpoint, location: Location, organisation: Organisation) -> Touchpoint:
    """The touchpoint with its location and organisation, and the location's organisation set to the same object:
    what touchpoint_by_public_code and its per-process copies hand out."""
    Touchpoint.location.field.set_cached_value(touchpoint, location)
    Touchpoint.organisation.field.set_cached_value(touchpoint, organisation)
    Location.organisation.field.set_cached_value(location, organisation)
    return touchpoint
