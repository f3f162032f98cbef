"""Reads of remedies: the case panel, the approvals queue and the cost of failure (per location, category and
month), which the page and its CSV export share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.cases import access
from kintsugi.cases.models import Case, Category
from kintsugi.remedies import policy, services
from kintsugi.remedies.models import (
    GIVEN_STATUSES,
    AuthorityLimit,
    CustomerCost,
    Remedy,
    RemedyOption,
    RemedyStatus,
)


def catalogue_for(case: Case, currency: str) -> list[RemedyOption]:
    """The organisation's active catalogue entries in `currency`."""
    return list(RemedyOption.objects.filter(organisation_id=case.organisation_id, currency=currency,
                                            is_active=True).order_by("kind", "id"))


def active_options(case: Case) -> list[RemedyOption]:
    """Every active catalogue entry of the case's organisation, whatever its currency (what the form accepts)."""
    return list(RemedyOption.objects.filter(organisation_id=case.organisation_id, is_active=True))


def suggestions_for(case: Case, options: list[RemedyOption], *, customer_costs: int,
                    authority: int | None = None) -> list[tuple[policy.Suggestion, RemedyOption]]:
    """Suggested remedies for the case, each with the catalogue entry (the first of its kind) it starts from;
    never above `authority` (the caller's room, when given)."""
    first: dict[str, RemedyOption] = {}
    for option in options:
        first.setdefault(option.kind, option)
    found = policy.suggest(case.failure_type, severity=case.severity, is_repeat=case.is_repeat_failure,
                           defaults={kind: option.default_amount_minor for kind, option in first.items()},
                           customer_costs=customer_costs, authority=authority)
    return [(suggestion, first[suggestion.kind]) for suggestion in found]


def offered_remedy(case: Case) -> Remedy | None:
    """The remedy the customer is being given on this case (granted, approved or fulfilled), the latest one."""
    return Remedy.objects.filter(case=case, status__in=GIVEN_STATUSES).order_by("-created_at", "-id").first()


def pending_approvals(user: User) -> QuerySet[Remedy]:
    """Remedies awaiting approval on the cases `user` may see, oldest first."""
    return (
        Remedy.objects.filter(status=RemedyStatus.PENDING_APPROVAL, case__in=access.visible_cases(user))
        .select_related("case", "case__location", "requested_by", "option")
        .order_by("created_at", "id")
    )


@dataclass
class ApprovalCard:
    """What an approver needs to decide on one remedy: the case's severity and state, what was already given on it
    in the remedy's currency, the case's total with this remedy against the requester's per-case limit, and the
    customer's own costs."""

    remedy: Remedy
    given: list[Remedy]
    given_total: int
    with_this: int  # the case's total in the remedy's currency if it is approved
    per_case_limit: int | None  # the requester's, in the remedy's currency (None: no authority on it)
    costs: list[CustomerCost]
    costs_total: int  # the customer's money costs in the remedy's currency
    costs_minutes: int

    @property
    def is_over_case_limit(self) -> bool:
        return self.with_this > (self.per_case_limit or 0)


def approval_cards(user: User, *, limit: int = 200) -> list[ApprovalCard]:
    """The approvals queue as cards, oldest first, in four queries whatever its length: the pending remedies with
    their case, the remedies given on those cases, their customer costs, and the organisation's limits."""
    pending = list(pending_approvals(user)[:limit])
    case_ids = {remedy.case_id for remedy in pending}
    given: dict[int, list[Remedy]] = defaultdict(list)
    costs: dict[int, list[CustomerCost]] = defaultdict(list)
    rows: list[AuthorityLimit] = []
    if pending:
        for remedy in Remedy.objects.filter(case_id__in=case_ids, status__in=GIVEN_STATUSES).select_related("option"):
            given[remedy.case_id].append(remedy)
        for cost in CustomerCost.objects.filter(case_id__in=case_ids):
            costs[cost.case_id].append(cost)
        rows = list(AuthorityLimit.objects.filter(organisation_id=user.organisation_id or 0))
    cards = []
    for remedy in pending:
        same = [r for r in given[remedy.case_id] if r.currency == remedy.currency]
        total = sum(r.amount_minor for r in same)
        role = remedy.requested_by.role if remedy.requested_by else ""
        picked = policy.pick_limit([(row.location_id, row.as_limit()) for row in rows
                                    if row.role == role and row.currency == remedy.currency],
                                   remedy.case.location_id)
        spent = costs[remedy.case_id]
        cards.append(ApprovalCard(
            remedy=remedy, given=same, given_total=total, with_this=total + remedy.amount_minor,
            per_case_limit=picked.per_case if picked else None, costs=spent,
            costs_total=sum(c.amount_minor or 0 for c in spent if c.currency == remedy.currency),
            costs_minutes=sum(c.minutes or 0 for c in spent),
        ))
    return cards


# --------------------------------------------------------------------------------------------- cost of failure


@dataclass
class CostRow:
    """One month at one location in one category."""

    month: str  # YYYY-MM, in the location's time zone
    location: str
    category: str
    remedies: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # kind -> currency -> [count, minor]
    costs: dict[str, list[int]] = field(default_factory=dict)  # currency ("" for none) -> [count, minor]
    cost_minutes: int = 0
    cost_count: int = 0
    at_risk: int = 0
    outliers: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, currency) -> far above the usual


@dataclass(frozen=True)
class FlaggedRemedy:
    """A remedy given far above the usual amount for it, for the cost view to name."""

    pk: int
    reference: str
    month: str
    kind: str
    currency: str
    amount_minor: int


@dataclass
class CostReport:
    rows: list[CostRow]
    average_value: int
    average_currency: str
    at_risk_days: int
    flagged: list[FlaggedRemedy] = field(default_factory=list)

    def revenue_at_risk(self, row: CostRow) -> int:
        return row.at_risk * self.average_value

    @property
    def total_at_risk(self) -> int:
        return sum(row.at_risk for row in self.rows)


def _month(moment: datetime, tz: str) -> str:
    return f"{moment.astimezone(ZoneInfo(tz)):%Y-%m}"


def cost_of_failure(
    user: User, *, location: str = "", category: str = "", since: date | None = None, until: date | None = None,
    now: datetime | None = None,
) -> CostReport:
    """Remedies given (by kind: count and money per currency), customer costs recorded and customers at risk, per
    month, location and category of the case, over the cases `user` may see.

    A customer counts as at risk in the month their case was resolved when `at_risk_days` have passed since then
    and they have opened no later case in that time (we know of no visits other than cases, so this is an upper
    bound of the customers lost); revenue at risk is that count times the average customer value."""
    now = now or timezone.now()
    settings = services.settings_for(user.organisation_id or 0)
    cases = access.visible_cases(user)
    if location:
        cases = cases.filter(location__code=location)
    if category:
        cases = cases.filter(category__code=category)
    rows: dict[tuple[str, str, str], CostRow] = {}

    labels = {c.pk: c.label() for c in Category.objects.filter(organisation_id=user.organisation_id or 0)}

    def row(moment: datetime, tz: str, place: str, category_id: int | None) -> CostRow | None:
        month = _month(moment, tz)
        if (since and month < f"{since:%Y-%m}") or (until and month > f"{until:%Y-%m}"):
            return None
        cat = labels.get(category_id or 0, "")
        key = (month, place, cat)
        if key not in rows:
            rows[key] = CostRow(month, place, cat)
        return rows[key]

    given = Remedy.objects.filter(case__in=cases, status__in=GIVEN_STATUSES, granted_at__isnull=False).values_list(
        "granted_at", "case__location__timezone", "case__location__name", "case__category_id", "kind",
        "currency", "amount_minor", "is_outlier", "pk", "case__reference").order_by("granted_at", "pk")
    flagged: list[FlaggedRemedy] = []
    for at, tz, place, cat, kind, currency, amount, is_outlier, pk, reference in given:
        target = row(at, tz, place, cat) if at is not None else None
        if target is not None:
            cell = target.remedies.setdefault(kind, {}).setdefault(currency, [0, 0])
            cell[0] += 1
            cell[1] += amount
            if is_outlier:
                target.outliers[kind, currency] = target.outliers.get((kind, currency), 0) + 1
                flagged.append(FlaggedRemedy(pk, reference, target.month, kind, currency, amount))
    costs = CustomerCost.objects.filter(case__in=cases).values_list(
        "created_at", "case__location__timezone", "case__location__name", "case__category_id", "currency",
        "amount_minor", "minutes")
    for at, tz, place, cat, currency, spent, minutes in costs:
        target = row(at, tz, place, cat)
        if target is not None:
            target.cost_count += 1
            target.cost_minutes += minutes or 0
            if spent is not None and currency:
                cell = target.costs.setdefault(currency, [0, 0])
                cell[0] += 1
                cell[1] += spent
    horizon = now - timedelta(days=settings.at_risk_days)
    resolved = cases.filter(customer__isnull=False, resolved_at__isnull=False, resolved_at__lte=horizon).values_list(
        "customer_id", "resolved_at", "location__timezone", "location__name", "category_id")
    later: dict[int, list[datetime]] = defaultdict(list)
    customer_ids = {customer for customer, *_rest in resolved}
    for customer, created in Case.objects.filter(customer_id__in=customer_ids).values_list("customer_id",
                                                                                           "created_at"):
        later[customer].append(created)
    counted: set[tuple[str, str, str, int]] = set()
    for customer, resolved_at, tz, place, cat in resolved:
        if resolved_at is None or customer is None:  # pragma: no cover - filtered above
            continue
        window_end = resolved_at + timedelta(days=settings.at_risk_days)
        if any(resolved_at < created <= window_end for created in later[customer]):
            continue
        target = row(resolved_at, tz, place, cat)
        if target is not None and (target.month, target.location, target.category, customer) not in counted:
            counted.add((target.month, target.location, target.category, customer))
            target.at_risk += 1
    ordered = sorted(rows.values(), key=lambda r: (r.month, r.location, r.category), reverse=True)
    return CostReport(ordered, settings.average_customer_value_minor, settings.average_value_currency,
                      settings.at_risk_days, flagged)
