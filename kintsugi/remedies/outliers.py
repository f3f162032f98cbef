"""What a remedy's amount is compared with to tell a slip (a "small gesture" of 2,000,000,000 ₫) from a decision:
the organisation's catalogue and authority limits in the currency, read for policy.outlier_reference."""

from __future__ import annotations

from django.db.models import Max

from kintsugi.cases.models import Case
from kintsugi.remedies import policy
from kintsugi.remedies.models import AuthorityLimit, RemedyOption


def reference_for(case: Case, *, kind: str, currency: str, option: RemedyOption | None = None) -> int:
    """The usual amount of this remedy in `currency`: the chosen catalogue entry's default, else the largest
    active default of its kind, else the largest per-remedy limit, else the currency's ceiling (two queries)."""
    typical = option.default_amount_minor if option is not None and option.currency == currency else 0
    if typical <= 0:
        typical = RemedyOption.objects.filter(
            organisation_id=case.organisation_id, kind=kind, currency=currency, is_active=True,
        ).aggregate(top=Max("default_amount_minor"))["top"] or 0
    largest = AuthorityLimit.objects.filter(organisation_id=case.organisation_id, currency=currency).aggregate(
        top=Max("per_remedy_minor"))["top"] or 0
    return policy.outlier_reference(currency, typical=int(typical), largest_limit=int(largest))


def is_outlier(case: Case, *, kind: str, amount_minor: int, currency: str, option: RemedyOption | None = None) -> bool:
    """True when the amount is far above what is usual for this remedy in its currency (policy.is_outlier)."""
    if amount_minor <= 0 or currency not in policy.CURRENCIES:
        return False
    return policy.is_outlier(amount_minor, reference_for(case, kind=kind, currency=currency, option=option))
