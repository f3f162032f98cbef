"""The demo catalogue and limits: loaded once, and they make a frontline grant and approval work end to end."""

from __future__ import annotations

from kintsugi.accounts.models import Organisation, User
from kintsugi.cases.models import Case
from kintsugi.demo import remedies as demo
from kintsugi.remedies import services
from kintsugi.remedies.models import AuthorityLimit, RemedyOption, RemedyStatus


def test_load_is_idempotent_and_gives_limits_in_both_currencies(org: Organisation, case: Case, agent: User) -> None:
    demo.load(org)
    demo.load(org)
    assert RemedyOption.objects.filter(organisation=org).count() == 16
    assert AuthorityLimit.objects.filter(organisation=org).count() == 6
    assert services.propose_remedy(case, kind="voucher", amount_minor=500_000, currency="VND",
                                   by=agent).status == RemedyStatus.GRANTED
    assert services.propose_remedy(case, kind="voucher", amount_minor=500_000, currency="VND",
                                   by=agent).status == RemedyStatus.PENDING_APPROVAL
