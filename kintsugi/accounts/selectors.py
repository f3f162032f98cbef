"""Reads of accounts data that more than one place needs."""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

from django.db.models import Model

from kintsugi.accounts.models import PUBLIC_CODE_ALPHABET, Location, Organisation, Touchpoint


def normalise_public_code(code: str) -> str:
    """Codes are printed in capitals; accept what a person types (lower case, stray spaces)."""
    return code.strip().upper()


# Every public form page and submission starts by finding its touchpoint, with its location and organisation: a
# join of 60 columns and three objects, a quarter of a submission's CPU. Each process keeps what it found for
# TOUCHPOINT_CACHE_SECONDS and hands out fresh objects built from it; a touchpoint switched off meanwhile still
# shows its form here for as long, and submitting it is refused (intake.services checks in its transaction).
TOUCHPOINT_CACHE_SECONDS = 10.0
MAX_TOUCHPOINTS = 10_000
_Row = tuple[str, tuple[Any, ...]]  # the database alias the row came from, its concrete fields' values
_touchpoints: dict[str, tuple[float, _Row, _Row, _Row]] = {}
_lock = threading.Lock()


def clear_caches() -> None:
    with _lock:
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
    now = time.monotonic()
    kept = _touchpoints.get(code)
    if kept is None or now - kept[0] > TOUCHPOINT_CACHE_SECONDS:
        touchpoint = (
            Touchpoint.objects.select_related("location", "organisation")
            .filter(public_code=code, is_active=True).first()
        )
        if touchpoint is None:
            with _lock:
                _touchpoints.pop(code, None)
            return None
        kept = (now, _row(touchpoint), _row(touchpoint.location), _row(touchpoint.organisation))
        with _lock:
            if len(_touchpoints) >= MAX_TOUCHPOINTS:
                _touchpoints.clear()
            _touchpoints[code] = kept
    return joined_touchpoint(_built(Touchpoint, kept[1]), _built(Location, kept[2]), _built(Organisation, kept[3]))


def joined_touchpoint(touchpoint: Touchpoint, location: Location, organisation: Organisation) -> Touchpoint:
    """The touchpoint with its location and organisation, and the location's organisation set to the same object:
    what touchpoint_by_public_code and its per-process copies hand out."""
    Touchpoint.location.field.set_cached_value(touchpoint, location)
    Touchpoint.organisation.field.set_cached_value(touchpoint, organisation)
    Location.organisation.field.set_cached_value(location, organisation)
    return touchpoint
