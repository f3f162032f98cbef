"""rawexec.execute: the driver's own cursor on SQLite, with what Django's cursor layers are for kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.backends import utils
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from kintsugi.accounts.models import Organisation
from kintsugi.lib.rawexec import execute

pytestmark = pytest.mark.django_db


def test_rows_come_back_and_placeholders_are_converted(org: Organisation) -> None:
    assert execute("SELECT name, '100%%' FROM accounts_organisation WHERE id = %s", [org.pk]) == [(org.name, "100%")]
    assert execute("UPDATE accounts_organisation SET name = %s WHERE id = %s", ["Mới", org.pk]) == []
    org.refresh_from_db()
    assert org.name == "Mới"


def test_on_sqlite_the_statement_skips_djangos_cursor_layers(
    org: Organisation, monkeypatch: pytest.MonkeyPatch,
) -> None:
    used = []
    original = utils.CursorWrapper.execute

    def spy(self: utils.CursorWrapper, sql: str, params: Any = None) -> Any:
        used.append(sql)
        return original(self, sql, params)

    monkeypatch.setattr(utils.CursorWrapper, "execute", spy)
    assert execute("SELECT id FROM accounts_organisation WHERE id = %s", [org.pk]) == [(org.pk,)]
    assert used == ([] if connection.vendor == "sqlite" else ["SELECT id FROM accounts_organisation WHERE id = %s"])


def test_statements_are_logged_while_something_counts_them(org: Organisation) -> None:
    with CaptureQueriesContext(connection) as queries:
        execute("SELECT id FROM accounts_organisation WHERE id = %s", [org.pk])
    assert len(queries) == 1


def test_the_drivers_errors_become_djangos(org: Organisation) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        execute("INSERT INTO accounts_organisation (id, name, slug) SELECT id, name, slug FROM accounts_organisation "
                "WHERE id = %s", [org.pk])


def test_a_transaction_marked_for_rollback_refuses_further_statements(org: Organisation) -> None:
    with transaction.atomic():
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError):
            execute("SELECT id FROM accounts_organisation WHERE id = %s", [org.pk])
