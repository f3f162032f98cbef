"""Reads for the supervisor's workload page: who holds which open cases and how they stand against their SLA, and
the inbox filters its numbers link to (by assignee, first responses due today)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Min, Q, QuerySet
from django.utils import timezone

from kintsugi.accounts.access import location_scope
from kintsugi.accounts.models import Role, User
from kintsugi.cases import access as case_access
from kintsugi.cases.models import Case
from kintsugi.lib.kept import Kept

# The bulk bar's list of people, per organisation and location scope, kept this long per process: it is on every
# inbox page, and a stale entry costs nothing (assign checks the person against each case).
ASSIGNEES_CACHE_SECONDS = 30.0
_assignees: Kept[tuple[int | None, frozenset[int] | None], list[tuple[int, str]]] = Kept()

# The inbox's `assignee` filter value for cases nobody holds.
NOBODY = "none"
# The inbox's `due` filter value for first responses that fall due today (in the active time zone).
FIRST_RESPONSE_TODAY = "first_response_today"


def today_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start of `now`'s day and of the next one, in the active time zone (the day staff see on the page)."""
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    # Vietnam and Thailand keep no daylight saving, but a day is still computed from wall dates, not 24 hours.
    end = timezone.make_aware(datetime.combine(start.date() + timedelta(days=1), datetime.min.time()),
                              timezone.get_current_timezone())
    return start, end


def at_risk_q(now: datetime) -> Q:
    """Open cases whose warning point has passed while their running deadline has not."""
    return Q(sla_warn_at__lte=now, sla_sort__gt=now)


def breached_q(now: datetime) -> Q:
    """Open cases whose running deadline has passed (a paused clock's case has none: it sorts after all)."""
    return Q(sla_sort__lte=now)


def first_response_due_q(start: datetime, end: datetime) -> Q:
    return Q(first_response_at__isnull=True, first_response_due_at__gte=start, first_response_due_at__lt=end)


def workload_filtered(qs: QuerySet[Case], filters: Mapping[str, Any]) -> QuerySet[Case]:
    """`qs` narrowed by the workload page's filters: `assignee` (a user id, or NOBODY) and `first_response_due`
    (a (start, end) pair of instants)."""
    assignee = filters.get("assignee")
    if assignee == NOBODY:
        qs = qs.filter(assignee__isnull=True)
    elif isinstance(assignee, int):
        qs = qs.filter(assignee_id=assignee)
    due = filters.get("first_response_due")
    if due is not None:
        qs = qs.filter(first_response_due_q(*due))
    return qs


@dataclass(frozen=True)
class AgentLoad:
    """One row of the workload page: a staff member (None: unassigned) and their open cases."""

    user_id: int | None
    name: str
    open: int
    at_risk: int
    breached: int
    oldest_open_at: datetime | None
    first_responses_today: int

    @property
    def assignee_filter(self) -> str:
        return NOBODY if self.user_id is None else str(self.user_id)


def staff_in_scope(user: User) -> QuerySet[User]:
    """The active staff (not administrators) of `user`'s organisation who work at one of `user`'s locations."""
    assert user.organisation_id is not None  # staff only (staff_required)
    qs = User.objects.filter(organisation_id=user.organisation_id, is_active=True).exclude(role=Role.ADMIN)
    scope = location_scope(user)
    if scope is not None:
        qs = qs.filter(Q(locations__isnull=True) | Q(locations__in=scope)).distinct()
    return qs


def assignable_names(user: User) -> list[tuple[int, str]]:
    """(id, name) of the staff in `user`'s scope, by first name: whom a supervisor's bulk bar offers to assign to.
    Cached per process for ASSIGNEES_CACHE_SECONDS."""

    def read() -> list[tuple[int, str]]:
        rows = staff_in_scope(user).order_by("first_name", "username").values_list(
            "pk", "first_name", "last_name", "username"
        )
        # As User.display_name (get_full_name or the username).
        return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in rows]

    return _assignees.get((user.organisation_id, location_scope(user)), ASSIGNEES_CACHE_SECONDS, read) or []


def clear_cache() -> None:
    _assignees.clear()


def workload(user: User, *, now: datetime | None = None) -> tuple[AgentLoad | None, list[AgentLoad]]:
    """The unassigned open cases `user` may see, and per staff member in their scope (or holding one of those
    cases) their open cases, at risk, breached, the oldest and the first responses due today; the most pressing
    first. Two queries."""
    now = now or timezone.now()
    start, end = today_bounds(now)
    # Grouped by an expression, not the column: grouping by the column itself makes SQLite walk case_inbox_mine
    # (every case, open or not, in assignee order) to skip a sort; the expression lets it read only the open cases
    # from the front of case_inbox and sort those (at 1,000,000 cases: 4,000 rows instead of all of them).
    rows = (
        case_access.visible_cases(user).filter(is_open=True).order_by()
        .values(holder=ExpressionWrapper(F("assignee_id") + 0, output_field=IntegerField())).annotate(
            open=Count("id"),
            at_risk=Count("id", filter=at_risk_q(now)),
            breached=Count("id", filter=breached_q(now)),
            oldest=Min("created_at"),
            due_today=Count("id", filter=first_response_due_q(start, end)),
        )
    )
    by_assignee: dict[int | None, dict[str, Any]] = {row["holder"]: dict(row) for row in rows}
    holders = [pk for pk in by_assignee if pk is not None]
    people = User.objects.filter(Q(pk__in=staff_in_scope(user).values("pk")) | Q(pk__in=holders))

    def load(pk: int | None, name: str) -> AgentLoad:
        row: dict[str, Any] = by_assignee.get(pk) or {}
        return AgentLoad(pk, name, row.get("open", 0), row.get("at_risk", 0), row.get("breached", 0),
                         row.get("oldest"), row.get("due_today", 0))

    agents = [load(person.pk, person.display_name) for person in people]
    agents.sort(key=lambda a: (-a.breached, -a.at_risk, -a.open, a.name.casefold(), a.user_id or 0))
    unassigned = load(None, "") if None in by_assignee else None
    return unassigned, agents
