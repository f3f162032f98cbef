"""Django's model authentication backend, with the per-request user lookup read by a compiled statement.

Every staff page loads its user from the session; ModelBackend's `get(pk=...)` compiles the query on every
request. This backend runs the same query compiled once per process (kintsugi.lib.sqlcache); logging in,
permissions and everything else are ModelBackend's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from kintsugi.accounts.models import User
from kintsugi.lib import sqlcache

_COLUMNS = [field.attname for field in User._meta.concrete_fields]


def _user_row(user_id: int) -> QuerySet[Any]:
    return User.objects.filter(pk=user_id).values_list(*_COLUMNS)


class StaffBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        compiled = sqlcache.compile_once("auth_user", _user_row, {"user_id": sqlcache.MARKER_IDS[0]})
        assert compiled is not None
        row = next(sqlcache.run(compiled, {"user_id": user_id}), None)
        if row is None:
            return None
        user = User.from_db(compiled.db, _COLUMNS, row)
        return user if self.user_can_authenticate(user) else None
