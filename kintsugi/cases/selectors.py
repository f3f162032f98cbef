"""Reads used in more than one place."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.utils import timezone
from django.utils.translation import get_language

from kintsugi.accounts import access
from kintsugi.accounts.models import Location, Organisation, Role, User
from kintsugi.cases import access as case_access
from kintsugi.cases import contacts
from kintsugi.cases.errors import InvalidInput
from kintsugi.cases.hooks import extensions
from kintsugi.cases.inbox_choices import clear_cache as inbox_choices_cache_clear
from kintsugi.cases.models import (
    Case,
    CaseEvent,
    Customer,
    CustomerIdentity,
    IdentityKind,
    SavedFilter,
    SlaPolicy,
    running_deadline,
)
from kintsugi.cases.sla import Clock, WorkingCalendar, remaining_seconds, working_seconds_between
from kintsugi.cases.workload import at_risk_q, breached_q, workload_filtered
from kintsugi.cases.workload import clear_cache as workload_cache_clear
from kintsugi.lib.cursor import decode_cursor, encode_cursor
from kintsugi.lib.kept import Kept

_cache_lock = threading.Lock()
_calendars: dict[int, tuple[datetime, WorkingCalendar]] = {}
_policies: Kept[int, list[SlaPolicy]] = Kept()
POLICY_CACHE_SECONDS = 30.0


def calendar_for(location: Location) -> WorkingCalendar:
    """The location's working calendar, cached per process until the location (or a holiday) changes."""
    cached = _calendars.get(location.pk)
    if cached is not None and cached[0] == location.updated_at:
        return cached[1]
    holidays = list(location.holidays.values_list("date", flat=True))
    calendar = WorkingCalendar.from_config(
        location.timezone, location.working_hours, holidays, always_open=location.always_open
    )
    with _cache_lock:
        _calendars[location.pk] = (location.updated_at, calendar)
    return calendar


def sla_policy_for(organisation_id: int, severity: int, channel: str) -> SlaPolicy | None:
    """The most specific policy for this severity and channel: both match > severity > channel > default."""
    # Oldest first, so of two equally specific policies the same one wins on every database.
    policies = _policies.get(organisation_id, POLICY_CACHE_SECONDS, lambda: list(
        SlaPolicy.objects.filter(organisation_id=organisation_id).order_by("pk")
    )) or []
    best: tuple[int, SlaPolicy] | None = None
    for policy in policies:
        if policy.severity is not None and policy.severity != severity:
            continue
        if policy.channel and policy.channel != channel:
            continue
        score = (2 if policy.severity is not None else 0) + (1 if policy.channel else 0)
        if best is None or score > best[0]:
            best = (score, policy)
    return best[1] if best else None


def clear_caches() -> None:
    with _cache_lock:
        _calendars.clear()
    _policies.clear()
    workload_cache_clear()
    inbox_choices_cache_clear()


def supervisors_for(case: Case) -> QuerySet[User]:
    """Supervisors and CX managers of the case's organisation whose scope covers its location."""
    in_scope = Q(locations__isnull=True) | Q(locations=case.location_id)
    return (
        User.objects.filter(
            organisation_id=case.organisation_id, is_active=True, role__in=[Role.SUPERVISOR, Role.CX_MANAGER]
        )
        .filter(in_scope)
        .distinct()
    )


def resolve_blockers(case: Case, *, by: User) -> list[str]:
    """Why `by` cannot resolve the open case now, from the apps built on the core (empty: nothing stands in the way)."""
    return [reason for extension in extensions() for reason in extension.resolve_blockers(case, by=by)]


def timeline(case: Case, *, customer_visible_only: bool = False) -> QuerySet[CaseEvent]:
    qs = case.events.select_related("actor").order_by("created_at", "id")
    if customer_visible_only:
        qs = qs.filter(is_customer_visible=True)
    return qs


def customer_history(case: Case, limit: int = 10) -> list[Case]:
    """The customer's other cases, newest first."""
    if case.customer_id is None:
        return []
    return list(
        Case.objects.filter(customer_id=case.customer_id)
        .exclude(pk=case.pk)
        .select_related("category", "location")
        .order_by("-created_at")[:limit]
    )


def organisation_defaults(organisation: Organisation) -> dict[str, Any]:
    return {"language": organisation.default_language, "currency": organisation.currency}


# --------------------------------------------------------------------------------------------- customers

# What a phone number may look like as typed: digits with spaces, dots, dashes, brackets and a leading +.
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{6,30}$")
MIN_NAME_SEARCH = 2


@dataclass(frozen=True)
class CustomerMatch:
    """A customer as the log form's picker shows them."""

    customer: Customer
    identities: list[CustomerIdentity]
    case_count: int
    last_case_at: datetime | None
    is_exact: bool  # found by one of their identities (not by name)
    is_repeat_risk: bool  # a case opened now would be a repeat failure


def _identity_match(organisation_id: int, q: str) -> Q | None:
    """The stored identities `q` can be: a lower-cased email, a phone number in E.164 (read as Vietnamese and as
    Thai), or a LINE, Zalo or Messenger id as typed. None when it can be none of them. One `kind IN .. AND value
    IN ..` condition, so the lookup stays on the (organisation, kind, value) index."""
    raw = q.strip()
    kinds: set[str] = set()
    values: set[str] = set()
    if "@" in raw:
        kinds.add(IdentityKind.EMAIL)
        values.add(raw.lower())
    else:
        if PHONE_LIKE.match(raw):
            for region in contacts.PHONE_REGIONS:
                try:
                    values.add(contacts.normalise_phone(raw, (region,)))
                    kinds.add(IdentityKind.PHONE)
                except InvalidInput:
                    continue
        if raw and not any(ch.isspace() for ch in raw):
            kinds.update({IdentityKind.LINE, IdentityKind.ZALO, IdentityKind.MESSENGER})
            values.add(raw)
    if not kinds:
        return None
    return Q(organisation_id=organisation_id, kind__in=sorted(kinds), value__in=sorted(values))


def _customer_matches(
    user: User, customers: QuerySet[Customer], exact: Q | None, limit: int, now: datetime | None
) -> list[CustomerMatch]:
    """`customers` as matches, exact identity matches first, then the most recently seen: two queries."""
    organisation = user.organisation
    assert organisation is not None
    is_exact: Exists | Value = (
        Exists(CustomerIdentity.objects.filter(exact, customer_id=OuterRef("pk"))) if exact else Value(False)
    )
    rows = list(
        customers.annotate(found_exactly=is_exact, case_count=Count("cases"), last_case_at=Max("cases__created_at"))
        .order_by("-found_exactly", F("last_case_at").desc(nulls_last=True), "name", "pk")
        .prefetch_related(Prefetch("identities", queryset=CustomerIdentity.objects.order_by("kind", "value")))[:limit]
    )
    since = (now or timezone.now()) - organisation.repeat_failure_window
    return [
        CustomerMatch(
            customer=row,
            identities=list(row.identities.all()),
            case_count=row.case_count,
            last_case_at=row.last_case_at,
            is_exact=bool(row.found_exactly),
            is_repeat_risk=row.last_case_at is not None and row.last_case_at >= since,
        )
        for row in rows
    ]


def search_customers(
    user: User, q: str, limit: int = 8, *, visible_only: bool = False, now: datetime | None = None
) -> list[CustomerMatch]:
    """The customers of the user's organisation that `q` finds: an exact identity (E.164 phone, email, LINE,
    Zalo or Messenger id) first, then names containing `q`; merged records never. `visible_only`: only those
    whose page the user may open. Two queries (identity lookups by index), none for a blank `q`."""
    if not access.is_staff_member(user) or user.organisation_id is None:
        return []
    raw = " ".join(q.split())[:100]
    if not raw:
        return []
    exact = _identity_match(user.organisation_id, raw)
    wanted = Q(pk__in=CustomerIdentity.objects.filter(exact).values("customer_id")) if exact else Q(pk=None)
    looks_like_contact = "@" in raw or PHONE_LIKE.match(raw) is not None
    if len(raw) >= MIN_NAME_SEARCH and not looks_like_contact:
        wanted |= Q(name__icontains=raw)
    base = case_access.visible_customers(user) if visible_only else Customer.objects.filter(
        organisation_id=user.organisation_id
    )
    return _customer_matches(user, base.filter(wanted, merged_into__isnull=True), exact, limit, now)


def customer_match(user: User, pk: int | None, *, now: datetime | None = None) -> CustomerMatch | None:
    """The customer of the user's organisation with this id, as the picker shows them; None if there is none."""
    if pk is None or not access.is_staff_member(user) or user.organisation_id is None:
        return None
    customers = Customer.objects.filter(organisation_id=user.organisation_id, pk=pk, merged_into__isnull=True)
    found = _customer_matches(user, customers, None, 1, now)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------- inbox

INBOX_VIEWS = ("open", "mine", "team", "unassigned", "at_risk", "breached", "closed")
# Views whose tab shows a (capped) count of its cases.
INBOX_COUNTED_VIEWS = ("open", "mine", "team", "unassigned", "at_risk", "breached")
INBOX_FILTERS = ("status", "location", "category", "severity", "channel")


class InboxRow(NamedTuple):
    """One case as an inbox row shows it: only the columns the row needs (no description, no model instances)."""

    id: int
    reference: str
    subject: str
    status: str
    priority: str
    severity: int
    channel: str
    is_open: bool
    is_repeat_failure: bool
    created_at: datetime
    resolved_at: datetime | None
    sla_sort: datetime
    sla_warn_at: datetime | None
    first_response_at: datetime | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    first_response_breached: bool
    resolution_breached: bool
    location_id: int
    location_name: str
    touchpoint_name: str | None
    customer_id: int | None
    customer_name: str | None
    category_id: int | None
    category_name: str | None
    category_name_vi: str | None
    category_name_th: str | None
    assignee_id: int | None
    assignee_username: str | None
    assignee_first_name: str | None
    assignee_last_name: str | None
    playbook_due_at: datetime | None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def sla_running_due_at(self) -> datetime | None:
        """As Case.sla_running_due_at: first response until answered, then resolution; None once closed."""
        return running_deadline(self)

    def category_label(self, language: str) -> str | None:
        """As Category.label(): the name in `language` (vi, th) when there is one, else the English name."""
        if self.category_id is None:
            return None
        own = {"vi": self.category_name_vi, "th": self.category_name_th}.get(language[:2])
        return own or self.category_name

    @property
    def active_category_label(self) -> str | None:
        """The category's label in the active language."""
        return self.category_label(get_language() or "en")

    @property
    def assignee_name(self) -> str | None:
        """As User.display_name."""
        if self.assignee_id is None:
            return None
        return f"{self.assignee_first_name} {self.assignee_last_name}".strip() or self.assignee_username


# InboxRow's fields in order, as the columns (and joins) they are read from.
INBOX_COLUMNS = (
    "id", "reference", "subject", "status", "priority", "severity", "channel", "is_open", "is_repeat_failure",
    "created_at", "resolved_at", "sla_sort", "sla_warn_at", "first_response_at", "first_response_due_at",
    "resolution_due_at", "first_response_breached", "resolution_breached", "location_id", "location__name",
    "touchpoint__name", "customer_id", "customer__name", "category_id", "category__name", "category__name_vi",
    "category__name_th", "assignee_id", "assignee__username", "assignee__first_name", "assignee__last_name",
    "playbook_due_at",
)


@dataclass(frozen=True)
class InboxPage:
    cases: list[InboxRow]
    next_cursor: str | None


def _open_view_q(user: User, view: str, now: datetime) -> Q:
    """Which of the open cases an open-case view (every view but closed) holds."""
    if view == "mine":
        return Q(assignee_id=user.pk)
    if view == "team":
        return Q(assignee__isnull=False) & ~Q(assignee_id=user.pk)
    if view == "unassigned":
        return Q(assignee__isnull=True)
    # The running deadline is sla_sort (its warning point sla_warn_at), both instants already worked out in the
    # location's working-time calendar, so "now" compares with them directly; each is a range on the inbox index.
    if view == "at_risk":
        return at_risk_q(now)
    if view == "breached":
        return breached_q(now)
    if view == "open":
        return Q()
    raise ValueError(f"unknown inbox view {view!r}")


def _inbox_view(user: User, view: str, now: datetime) -> QuerySet[Case]:
    qs = case_access.visible_cases(user)
    if view == "closed":
        return qs.filter(is_open=False)
    return qs.filter(_open_view_q(user, view, now), is_open=True)


def _inbox_filtered(qs: QuerySet[Case], filters: Mapping[str, Any]) -> QuerySet[Case]:
    lookups = {"status": "status", "location": "location_id", "category": "category_id",
               "severity": "severity", "channel": "channel"}
    wanted = {lookups[key]: value for key, value in filters.items() if key in lookups and value not in (None, "")}
    qs = qs.filter(**wanted) if wanted else qs
    return workload_filtered(qs, filters)


def saved_filters_of(user: User) -> list[SavedFilter]:
    """The inbox queries `user` saved, by name; nobody else's."""
    if not access.is_staff_member(user):
        return []
    return list(SavedFilter.objects.filter(user_id=user.pk).order_by("name"))


def inbox_queryset(user: User, view: str, filters: Mapping[str, Any], now: datetime) -> QuerySet[Case]:
    """The cases `user` may see in inbox `view` with `filters`, unordered (the search orders its own)."""
    if view not in INBOX_VIEWS:
        raise ValueError(f"unknown inbox view {view!r}")
    return _inbox_filtered(_inbox_view(user, view, now), filters)


def _inbox_rows_query(
    user: User, view: str, filters: Mapping[str, Any], limit: int, *,
    now: datetime, after_at: datetime | None = None, after_id: int | None = None,
) -> QuerySet[Case, tuple[Any, ...]]:
    qs = _inbox_filtered(_inbox_view(user, view, now), filters)
    if view == "closed":
        if after_id is not None:
            qs = qs.filter(id__lt=after_id)
        qs = qs.order_by("-id")
    else:
        if after_id is not None:
            qs = qs.filter(TupleGreaterThan(Tuple(F("sla_sort"), F("id")), (after_at, after_id)))
        qs = qs.order_by("sla_sort", "id")
    return qs.values_list(*INBOX_COLUMNS)[: limit + 1]


def inbox_page(
    user: User,
    *,
    view: str,
    filters: Mapping[str, Any],
    cursor: str | None,
    limit: int = 25,
    now: datetime | None = None,
) -> InboxPage:
    """One keyset page of the cases `user` may see in `view`, most urgent SLA first (resolved and closed: newest
    first); `cursor` is the previous page's next_cursor; raises ValueError for an unknown view or a bad cursor.

    One query, read as InboxRows (no model instances, no description)."""
    if view not in INBOX_VIEWS:
        raise ValueError(f"unknown inbox view {view!r}")
    if not access.is_staff_member(user):
        if cursor:
            decode_cursor(cursor)
        return InboxPage(cases=[], next_cursor=None)
    now = now or timezone.now()
    newest_first = view == "closed"
    after_at: datetime | None = None
    after_id: int | None = None
    if cursor:
        after_at, after_id = decode_cursor(cursor)
    query = _inbox_rows_query(user, view, filters, limit, now=now, after_at=after_at, after_id=after_id)
    rows = [InboxRow._make(columns) for columns in query]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(last.created_at if newest_first else last.sla_sort, last.id)
    return InboxPage(cases=rows, next_cursor=next_cursor)


class _CountOf(Subquery):
    """How many rows a (sliced) queryset holds, as a scalar subquery: SELECT COUNT(*) FROM (<queryset>)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def inbox_counts(user: User, *, cap: int = 100, now: datetime | None = None) -> dict[str, int]:
    """How many cases each counted inbox view holds, counting at most `cap` per view, in one query."""
    if not access.is_staff_member(user):
        return dict.fromkeys(INBOX_COUNTED_VIEWS, 0)
    now = now or timezone.now()
    # Each count runs over a LIMITed subquery, so a tab never costs more than `cap` index entries. All six filter
    # one queryset of the open cases (0.9 ms of CPU less than building each view's from the start).
    open_ids = case_access.visible_cases(user).filter(is_open=True).order_by().values("id")
    counts = [_CountOf(open_ids.filter(_open_view_q(user, view, now))[:cap]) for view in INBOX_COUNTED_VIEWS]
    row = User.objects.filter(pk=user.pk).values_list(*counts).get()
    return {view: int(count) for view, count in zip(INBOX_COUNTED_VIEWS, row, strict=True)}


@dataclass(frozen=True)
class SlaSnapshot:
    """Where a case stands against its SLA at one moment (state: ok, warning, breached, paused or stopped)."""

    state: str
    target: str
    due_at: datetime | None
    warn_at: datetime | None
    remaining_s: float | None
    # When the running clock next stops counting (the location closes); None when it is not counting now.
    counting_until: datetime | None = None


def sla_snapshot(case: Case, now: datetime | None = None) -> SlaSnapshot:
    """The running SLA target of `case`, its deadline and the working seconds left on it at `now`."""
    now = now or timezone.now()
    if not case.is_open:
        return SlaSnapshot("stopped", "", None, None, None)
    calendar = calendar_for(case.location)
    due: datetime | None
    if case.first_response_at is None and case.first_response_due_at is not None:
        target, due, breached = "first_response", case.first_response_due_at, case.first_response_breached
        remaining = case.first_response_target_s - working_seconds_between(case.created_at, now, calendar)
    else:
        target, due, breached = "resolution", case.resolution_due_at, case.resolution_breached
        clock = Clock(case.resolution_target_s, case.resolution_consumed_s, case.resolution_running_since)
        remaining = remaining_seconds(clock, now, calendar)
        if case.resolution_running_since is None:
            return SlaSnapshot("paused", target, None, None, remaining)
    counting_until = calendar.open_until(now)
    if breached or remaining <= 0 or (due is not None and due <= now):
        state = "breached"
    elif case.sla_warn_at is not None and case.sla_warn_at <= now:
        state = "warning"
    else:
        state = "ok"
    return SlaSnapshot(state, target, due, case.sla_warn_at, remaining, counting_until)
