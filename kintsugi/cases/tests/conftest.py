"""Fixtures the case tests share across files (the project-wide ones are in the root conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, SlaPolicy
from kintsugi.cases.tests.inbox_cases import open_web
from kintsugi.recovery.testing import complete_steps


@pytest.fixture
def mixed(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, agent: User, supervisor: User, manager: User
) -> dict[str, Case]:
    """One case per inbox situation, all at Hà Nội, opened in this order."""
    mine = open_web(org, front_desk, MONDAY_10AM)
    services.assign(mine, agent, by=supervisor)
    colleague = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=5))
    services.assign(colleague, manager, by=supervisor)
    unassigned_breached = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=10))
    fresh = open_web(org, front_desk, timezone.now())
    resolved = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=15))
    complete_steps(resolved, by=agent)
    services.resolve(resolved, by=agent, summary="Fixed.")
    closed = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=20))
    complete_steps(closed, by=agent)
    services.resolve(closed, by=agent)
    services.close_case(closed, by=agent)
    return {"mine": mine, "colleague": colleague, "unassigned_breached": unassigned_breached, "fresh": fresh,
            "resolved": resolved, "closed": closed}
