"""The public form's touchpoint, kept per process and checked against the database on every use.

Every QR code scan and every form submission starts by looking up the touchpoint by its public code with its
location and organisation (kintsugi.accounts.selectors.touchpoint_by_public_code): a three-table read, its
columns converted and three model objects built, about a tenth of what a submission costs. The same few codes
are read again and again and almost never change, so `public_touchpoint` keeps what it read, per process, with
the stamp that was current when it read it.

The stamp is one row (intake.DirectoryStamp) that database triggers set to a fresh random value in the same
transaction as any insert, update or delete of a touchpoint, location or organisation, whoever writes it: this
process or another, the ORM, `QuerySet.update()`, raw SQL, the admin, a shell. Each call reads the stamp (a
one-row primary key read) and uses the kept objects only if it is unchanged; otherwise it reads the touchpoint
afresh. The stamp is read before the touchpoint, so what is kept is never older than the stamp kept with it. A
random value, not a counter, so a stamp rolled back or recreated never matches one seen before. So a call
answers exactly what the plain lookup would answer at the moment it reads the stamp, as the lookup itself
answers what was true when it read.

A form submission need not read the stamp first (`kept_touchpoint`): it takes the kept copy with the stamp it
was kept under, and its write confirms that stamp inside its own transaction (`stamp_is`), once for a burst of
submissions written together. A submission whose copy the stamp no longer matches writes nothing and is made
again from a fresh read (kintsugi.intake.services.TouchpointChanged). The read cost more than it says: under load
every other connection has committed since this one last read, so SQLite drops this connection's whole page cache
to begin the read, and the request waits its turn for the interpreter again after it: 150-230 us of a
submission's CPU (a tenth and more) for a one-row read, against one read per burst inside the write.

The triggers are SQLite's; (re)installed after every `migrate` (SQLite drops a table's triggers when a migration
rebuilds the table), which also sets a new stamp. On PostgreSQL (no triggers yet), or without the stamp row,
nothing is kept and every call is the plain lookup. Callers get their own objects each time, built like the
lookup's own (a fresh model state, the relations cached, JSON values decoded anew): nothing they change reaches the
kept copies.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from kintsugi.accounts.models import Location, Organisation, Touchpoint
from kintsugi.accounts.selectors import joined_touchpoint, normalise_public_code, touchpoint_by_public_code
from kintsugi.intake.models import DirectoryStamp
from kintsugi.lib.rawexec import execute

__all__ = [
    "MAX_ENTRIES", "TRACKED", "clear", "install_triggers", "kept_touchpoint", "public_touchpoint", "read_stamp",
    "stamp_is", "trigger_names",
]

# The tables whose writes change the stamp: what touchpoint_by_public_code reads.
TRACKED: tuple[type[models.Model], ...] = (Touchpoint, Location, Organisation)
MAX_ENTRIES = 10_000
STAMP_ID = 1


def _table(model: type[models.Model]) -> str:
    return model._meta.db_table


def trigger_names() -> list[tuple[str, str, str]]:
    """(trigger, event, table) of every stamp trigger."""
    return [
        (f"kintsugi_directory_stamp_{_table(model)}_{event.lower()}", event, _table(model))
        for model in TRACKED for event in ("INSERT", "UPDATE", "DELETE")
    ]


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """On SQLite, make sure every tracked table has its triggers, then set a new stamp (writes made while a
    table had none are covered); without the stamp table (migrated back), make sure none is left to fail every
    write. Elsewhere, do nothing: no stamp row, so nothing is ever kept."""
    if connection.vendor != "sqlite":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if _table(DirectoryStamp) not in tables:
            for name, _event, _on in trigger_names():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
            return
        new_stamp = (
            f"INSERT INTO {quote(_table(DirectoryStamp))} (id, stamp) VALUES ({STAMP_ID}, lower(hex(randomblob(16)))) "
            "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp"
        )
        for name, event, table in trigger_names():
            if table in tables:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {quote(name)} AFTER {event} ON {quote(table)} BEGIN {new_stamp}; END"
                )
        cursor.execute(new_stamp)


def read_stamp(alias: str) -> str | None:
    """The current stamp, None when there is none (nothing may be kept)."""
    rows = execute(f"SELECT stamp FROM {_table(DirectoryStamp)} WHERE id = %s", [STAMP_ID], alias)
    return str(rows[0][0]) if rows else None


@dataclass(frozen=True, slots=True)
class _Kept:
    """One model object as the lookup built it, to copy: its attributes but its state, and its JSON values as
    text."""

    model: type[models.Model]
    db: str | None
    values: dict[str, Any]
    json_values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, obj: models.Model) -> _Kept:
        values = {name: value for name, value in vars(obj).items() if name != "_state"}
        json_values = tuple((name, json.dumps(values.pop(name))) for name in _json_attnames(type(obj)))
        return cls(type(obj), obj._state.db, values, json_values)

    def copy(self) -> Any:
        obj = self.model.__new__(self.model)
        state = ModelState()
        state.adding = False
        state.db = self.db
        attributes = vars(obj)
        attributes["_state"] = state
        attributes.update(self.values)
        for name, text in self.json_values:
            attributes[name] = json.loads(text)
        return obj


@cache
def _json_attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields if isinstance(field, models.JSONField))


def _copyable() -> bool:
    """Objects can be copied for the lookup's own when no model signal would see them built, and JSON fields
    decode plainly (no custom decoder)."""
    for model in TRACKED:
        if pre_init.has_listeners(model) or post_init.has_listeners(model):
            return False
        if any(isinstance(f, models.JSONField) and f.decoder is not None for f in model._meta.concrete_fields):
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Entry:
    stamp: str
    touchpoint: _Kept
    location: _Kept
    organisation: _Kept

    def build(self) -> Touchpoint:
        return joined_touchpoint(self.touchpoint.copy(), self.location.copy(), self.organisation.copy())


_lock = threading.Lock()
_kept: dict[str, _Entry] = {}


def clear() -> None:
    with _lock:
        _kept.clear()


def public_touchpoint(code: str) -> Touchpoint | None:
    """touchpoint_by_public_code(code) (the active touchpoint with its location and organisation, or None),
    from this process's copy when the stamp says nothing has changed since it was read."""
    return _lookup(code, trust_kept=False)[0]


def kept_touchpoint(code: str) -> tuple[Touchpoint | None, str | None]:
    """This process's copy of the touchpoint without reading the stamp, else public_touchpoint(code); and the
    stamp it stands for. The copy may be out of date: write with it only once `stamp_is(stamp)` in the writing
    transaction. A None stamp (PostgreSQL, no stamp row) stands for nothing: the touchpoint was read afresh."""
    return _lookup(code, trust_kept=True)


def stamp_is(stamp: str | None, alias: str | None = None) -> bool:
    """Whether what `stamp` stands for is still current: the stamp is unchanged (or stands for nothing). Read in
    the caller's transaction."""
    return stamp is None or read_stamp(alias or router.db_for_read(Touchpoint)) == stamp


def _lookup(code: str, *, trust_kept: bool) -> tuple[Touchpoint | None, str | None]:
    alias = router.db_for_read(Touchpoint)
    if connections[alias].vendor != "sqlite":
        return touchpoint_by_public_code(code), None  # no triggers there, so no stamp to trust
    key = normalise_public_code(code)
    entry = _kept.get(key)
    if trust_kept and entry is not None:
        return entry.build(), entry.stamp
    stamp = read_stamp(alias)
    if entry is not None and stamp is not None and entry.stamp == stamp:
        return entry.build(), stamp
    touchpoint = touchpoint_by_public_code(code)  # read after the stamp: never older than it
    if touchpoint is None and entry is not None:
        with _lock:
            _kept.pop(key, None)  # gone or switched off: no copy left for kept_touchpoint to offer
    elif touchpoint is not None and stamp is not None and _copyable():
        location = touchpoint.location
        kept = _Entry(stamp, _Kept.of(touchpoint), _Kept.of(location), _Kept.of(touchpoint.organisation))
        with _lock:
            if len(_kept) >= MAX_ENTRIES:
                _kept.clear()
            _kept[key] = kept
    return touchpoint, stamp
