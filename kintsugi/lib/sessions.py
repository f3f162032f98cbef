"""Django's database sessions, read with a compiled statement.

Every staff page reads its session first; the ORM compiles that `SELECT ... WHERE session_key = %s AND
expire_date > %s` anew on every request. This store runs the same statement, compiled once per process
(kintsugi.lib.sqlcache), and writes exactly as Django's does (`SESSION_ENGINE = "kintsugi.lib.sessions"`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from kintsugi.lib import sqlcache

_COLUMNS = ["session_key", "session_data", "expire_date"]


def _session_row(key: str, now: datetime) -> QuerySet[Any]:
    return Session.objects.filter(session_key=key, expire_date__gt=now).values_list(*_COLUMNS)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        compiled = sqlcache.compile_once(
            "session", _session_row, {"key": sqlcache.MARKER_TEXTS[0], "now": sqlcache.MARKER_DATETIMES[0]}
        )
        assert compiled is not None
        row = next(sqlcache.run(compiled, {"key": self.session_key, "now": timezone.now()}), None)
        if row is None:
            self._session_key = None
            return None
        return Session.from_db(compiled.db, _COLUMNS, row)
