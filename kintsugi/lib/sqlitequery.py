"""SQLite's "%s" -> "?" conversion done once per statement text instead of on every execute.

Django's SQLite cursor rewrites every statement with a regular expression before running it
(`SQLiteCursorWrapper.convert_query`). The hot write paths run the same texts again and again (fastinsert's cached
multi-row INSERTs, the compiled reads of kintsugi.lib.sqlcache, the ORM's few fixed statements), and the scan of a
64-row INSERT costs more than SQLite needs to parse it. `install()` wraps the method with a per-process memo of
the converted text, keyed by the original text (a pure function of it), bounded: when full it starts afresh. The
"pyformat" case (named parameters) is left to Django. Installed from intake's AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.backends.sqlite3 import base

__all__ = ["MAX_ENTRIES", "install", "installed"]

MAX_ENTRIES = 4096
_converted: dict[str, str] = {}


def _memoised(convert: Callable[..., str]) -> Callable[..., str]:
    def convert_query(self: Any, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is not None:
            return convert(self, query, param_names=param_names)
        found = _converted.get(query)
        if found is None:
            found = convert(self, query)
            if len(_converted) >= MAX_ENTRIES:
                _converted.clear()
            _converted[query] = found
        return found

    convert_query.kintsugi_memoised = True  # type: ignore[attr-defined]
    convert_query.original = convert  # type: ignore[attr-defined]
    return convert_query


def installed() -> bool:
    return getattr(base.SQLiteCursorWrapper.convert_query, "kintsugi_memoised", False)


def install() -> None:
    """Memoise SQLiteCursorWrapper.convert_query (once; later calls do nothing)."""
    if not installed():
        base.SQLiteCursorWrapper.convert_query = _memoised(  # type: ignore[method-assign]
            base.SQLiteCursorWrapper.convert_query
        )
