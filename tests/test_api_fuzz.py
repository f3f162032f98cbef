"""Bad input on every API operation: schemathesis reads /api/v1/openapi.json and sends each operation generated
requests, valid and invalid (as the fixed cast's CX manager, by token), through the WSGI app in-process. Every
answer must be a non-5xx whose status, content type, headers and body the document describes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kintsugi.accounts.models import ApiToken, User
from kintsugi.cases.models import Case
from kintsugi.wsgi import application

CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
    response_schema_conformance,
]


# Read at collection: the document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def _test_transaction_kept() -> Iterator[None]:
    """Calls go straight to the WSGI app, whose request signals would close the database connection and with it
    the test's transaction (on PostgreSQL); Django's test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(manager: User, case: Case, _test_transaction_kept: None) -> str:
    """The CX manager's token, with one case of the cast in the database for the operations to find."""
    return ApiToken.issue(manager, name="fuzz")[1]


@schema.parametrize()
# 100 examples an operation, the same ones every run (derandomize): about 30 s for the 16 operations on one core.
@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much,
])
def test_every_operation_answers_bad_input_with_a_documented_4xx(
    case: schemathesis.Case[Any], token: str
) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
