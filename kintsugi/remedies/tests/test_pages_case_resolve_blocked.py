"""On the case page a remedy awaiting approval shows resolving as blocked, for everyone, with the remedy named."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import MONDAY_10AM, login
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case
from kintsugi.recovery.testing import complete_steps
from kintsugi.remedies import services
from kintsugi.remedies.models import RemedyStatus

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings")

REASON = ("<li>A remedy on this case is waiting for approval (1,200,000 ₫): approve or reject it before resolving "
          "the case.</li>")
BLOCKED_BUTTON = ('<button type="submit" class="button button-success" aria-disabled="true" '
                  'aria-describedby="resolve-blocked">Resolve case</button>')


@pytest.mark.parametrize("viewer", ["agent", "supervisor"])
def test_a_remedy_awaiting_approval_blocks_resolving_for_everyone(
    client: Client, case: Case, agent: User, viewer: str, request: pytest.FixtureRequest
) -> None:
    complete_steps(case, by=agent)
    remedy = services.propose_remedy(case, kind="refund", amount_minor=1_200_000, currency="VND", by=agent,
                                     description="Hoàn tiền một đêm", at=MONDAY_10AM)
    assert remedy.status == RemedyStatus.PENDING_APPROVAL
    user: User = request.getfixturevalue(viewer)
    html = login(client, user).get(f"/cases/{case.reference}/").content.decode()
    assert BLOCKED_BUTTON in html
    assert REASON in html
    assert "Required playbook steps are still open." not in html


def test_once_the_remedy_is_decided_resolving_is_open_again(
    client: Client, case: Case, agent: User, supervisor: User
) -> None:
    complete_steps(case, by=agent)
    remedy = services.propose_remedy(case, kind="refund", amount_minor=1_200_000, currency="VND", by=agent,
                                     description="Hoàn tiền một đêm", at=MONDAY_10AM)
    services.approve_remedy(remedy, by=supervisor, reason="Khách quen", at=MONDAY_10AM)
    html = login(client, agent).get(f"/cases/{case.reference}/").content.decode()
    assert '<button type="submit" class="button button-success">Resolve case</button>' in html
    assert 'aria-disabled="true"' not in html
