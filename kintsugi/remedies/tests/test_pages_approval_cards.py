"""An approval card holds what the approver needs to decide: the case's severity and whether it is resolved,
what was already given, the case's total with this remedy against the requester's limit per case, and the
customer's own costs; each pending remedy once, however many remedies and costs its case has."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case
from kintsugi.remedies import selectors, services
from kintsugi.remedies.models import Remedy, RemedySettings

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings", "catalogue")


@pytest.fixture
def asked(case: Case, agent: User, supervisor: User) -> Remedy:
    """Two gestures given, two costs recorded (one in money), then a refund above the agent's limit."""
    services.propose_remedy(case, kind="gesture", amount_minor=150_000, currency="VND", by=agent)
    services.propose_remedy(case, kind="apology", amount_minor=0, currency="VND", by=agent)
    services.propose_remedy(case, kind="voucher", amount_minor=1_000, currency="THB", by=agent)  # another currency
    services.record_customer_cost(case, kind="money_spent", amount_minor=120_000, currency="VND", by=agent,
                                  note="Taxi")
    services.record_customer_cost(case, kind="time_lost", minutes=45, by=agent)
    return services.propose_remedy(case, kind="refund", amount_minor=700_000, currency="VND", by=agent,
                                   description="Hoàn tiền một đêm")


def test_the_card_adds_up_what_the_approver_needs(asked: Remedy, supervisor: User) -> None:
    [card] = selectors.approval_cards(supervisor)
    assert card.remedy == asked
    assert [(r.kind, r.amount_minor) for r in card.given] == [("gesture", 150_000), ("apology", 0)]
    assert (card.given_total, card.with_this, card.per_case_limit, card.is_over_case_limit) == (
        150_000, 850_000, 800_000, True)
    assert (len(card.costs), card.costs_total, card.costs_minutes) == (2, 120_000, 45)


def test_the_card_on_the_page(client: Client, asked: Remedy, supervisor: User) -> None:
    page = login(client, supervisor).get("/remedies/approvals/").content.decode()
    card = page.split(f'id="remedy-{asked.pk}"')[1].split("</li>")[0]
    assert '<span class="severity-text">3 · ' in card
    assert "<dd>Not resolved yet · New</dd>" in card
    assert ('<span class="approval-given">Small gesture · 150,000 ₫</span>, '
            '<span class="approval-given">Apology only</span>') in card
    assert '<dd class="approval-over">850,000 ₫ of the 800,000 ₫ limit per case</dd>' in card
    assert "<dd>120,000 ₫ · 45 min lost</dd>" in card


def test_each_pending_remedy_is_listed_once(client: Client, asked: Remedy, case: Case, agent: User,
                                            supervisor: User) -> None:
    second = services.propose_remedy(case, kind="voucher", amount_minor=900_000, currency="VND", by=agent)
    page = login(client, supervisor).get("/remedies/approvals/").content.decode()
    assert (page.count(f'id="remedy-{asked.pk}"'), page.count(f'id="remedy-{second.pk}"')) == (1, 1)
    assert page.count('class="card remedy approval-card"') == 2


def test_a_resolved_case_says_so(client: Client, asked: Remedy, case: Case, supervisor: User) -> None:
    Case.objects.filter(pk=case.pk).update(status="closed", is_open=False)
    page = login(client, supervisor).get("/remedies/approvals/").content.decode()
    assert "<dd>Resolved · Closed</dd>" in page


def test_a_requester_without_a_case_limit_is_said_so(client: Client, case: Case, agent: User,
                                                     supervisor: User) -> None:
    # Dollars: nobody has a limit, so any amount waits.
    RemedySettings.objects.filter(organisation_id=case.organisation_id).update(currencies=["VND", "USD"])
    services.propose_remedy(case, kind="gesture", amount_minor=500, currency="USD", by=agent)
    page = login(client, supervisor).get("/remedies/approvals/").content.decode()
    assert "$5.00; the requester has no limit per case" in page


def test_the_outsider_and_the_agent_see_no_card(client: Client, asked: Remedy, outsider: User,
                                                agent: User) -> None:
    assert selectors.approval_cards(outsider) == []
    assert login(client, agent).get("/remedies/approvals/").status_code == 403
