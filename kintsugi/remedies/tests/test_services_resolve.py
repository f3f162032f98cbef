"""A case is not resolved while one of its remedies waits for approval (remedies.extension.check_resolve)."""

from __future__ import annotations

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import User
from kintsugi.cases import services as case_services
from kintsugi.cases.models import Case, Status
from kintsugi.cases.services import InvalidTransition
from kintsugi.recovery.testing import complete_steps
from kintsugi.remedies import services
from kintsugi.remedies.models import Remedy, RemedyStatus

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings")


@pytest.fixture
def pending(case: Case, agent: User) -> Remedy:
    remedy = services.propose_remedy(case, kind="refund", amount_minor=1_200_000, currency="VND", by=agent,
                                     description="Hoàn tiền một đêm", at=MONDAY_10AM)
    assert remedy.status == RemedyStatus.PENDING_APPROVAL
    return remedy


def test_a_case_with_a_remedy_awaiting_approval_cannot_be_resolved(
    case: Case, pending: Remedy, supervisor: User
) -> None:
    complete_steps(case, by=supervisor)
    events = case.events.count()
    with pytest.raises(InvalidTransition) as refused:
        case_services.resolve(case, by=supervisor, override_reason="Guest left happy")
    assert refused.value.message == ("A remedy on this case is waiting for approval (1,200,000 ₫): approve or "
                                     "reject it before resolving the case.")
    case.refresh_from_db()
    assert case.status != Status.RESOLVED
    assert case.events.count() == events


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_once_decided_the_case_resolves(case: Case, pending: Remedy, supervisor: User, decide: str) -> None:
    if decide == "approve":
        services.approve_remedy(pending, by=supervisor, reason="Khách quen", at=MONDAY_10AM)
    else:
        services.reject_remedy(pending, "Quá mức", by=supervisor, at=MONDAY_10AM)
    complete_steps(case, by=supervisor)
    case_services.resolve(case, by=supervisor)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
