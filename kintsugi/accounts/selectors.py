"""Reads of accounts data that more than one place needs."""

from __future__ import annotations

from kintsugi.accounts.models import PUBLIC_CODE_ALPHABET, Location, Organisation, Touchpoint


def normalise_public_code(code: str) -> str:
    """Codes are printed in capitals; accept what a person types (lower case, stray spaces)."""
    return code.strip().upper()


def touchpoint_by_public_code(code: str) -> Touchpoint | None:
    """The active touchpoint with this public code, with its location and organisation; None otherwise."""
    code = normalise_public_code(code)
    if not code or len(code) > 16 or not set(code) <= set(PUBLIC_CODE_ALPHABET):
        return None  # cannot exist: spare the database the query
    touchpoint = (
        Touchpoint.objects.select_related("location", "organisation").filter(public_code=code, is_active=True).first()
    )
    if touchpoint is None:
        return None
    return joined_touchpoint(touchpoint, touchpoint.location, touchpoint.organisation)


def joined_touchpoint(touchpoint: Touchpoint, location: Location, organisation: Organisation) -> Touchpoint:
    """The touchpoint with its location and organisation, and the location's organisation set to the same object:
    what touchpoint_by_public_code and its per-process copies hand out."""
    Touchpoint.location.field.set_cached_value(touchpoint, location)
    Touchpoint.organisation.field.set_cached_value(touchpoint, organisation)
    Location.organisation.field.set_cached_value(location, organisation)
    return touchpoint
