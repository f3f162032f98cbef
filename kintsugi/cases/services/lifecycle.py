"""A case's lifecycle: acknowledge, assign, change status, resolve, reopen, close, escalate and correct its
details. Each checks permission and invariants, writes, and records the change on the timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import User
from kintsugi.cases import access, sla
from kintsugi.cases.errors import InvalidInput, InvalidTransition, NotAllowed
from kintsugi.cases.hooks import extensions
from kintsugi.cases.models import OPEN_STATUSES, Case, Category, EventKind, FailureType, Status
from kintsugi.cases.selectors import calendar_for
from kintsugi.cases.services.events import notify, now, record, require_view, save
from kintsugi.cases.services.timers import SLA_FIELDS, escalate_now, reschedule, resolution_clock

# Which statuses a case may move to from each status. Resolve, reopen and close have their own services.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER, Status.RESOLVED}),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS, Status.AWAITING_CUSTOMER, Status.RESOLVED}),
    Status.IN_PROGRESS: frozenset({Status.AWAITING_CUSTOMER, Status.RESOLVED}),
    Status.AWAITING_CUSTOMER: frozenset({Status.IN_PROGRESS, Status.RESOLVED}),
    Status.REOPENED: frozenset(
        {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER, Status.RESOLVED}
    ),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
}



@transaction.atomic
def acknowledge(case: Case, *, by: User, at: datetime | None = None) -> Case:
    """Staff take the case in hand: status acknowledged, and the case assigned to them if nobody has it."""
    at = now(at)
    require_view(case, by)
    if case.status not in {Status.NEW, Status.REOPENED}:
        raise InvalidTransition(_("Only a new or reopened case can be acknowledged."))
    old = case.status
    case.status = Status.ACKNOWLEDGED
    case.acknowledged_at = case.acknowledged_at or at
    fields = ["status", "acknowledged_at"]
    if case.assignee_id is None:
        case.assignee = by
        fields.append("assignee")
    save(case, at, *fields)
    record(case, EventKind.ACKNOWLEDGED, by=by, at=at, visible=True, data={"from": old})
    return case


@transaction.atomic
def assign(case: Case, assignee: User | None, *, by: User, at: datetime | None = None) -> Case:
    """Give the case to `assignee` (None: unassign). Frontline staff may only take it or let it go themselves."""
    at = now(at)
    require_view(case, by)
    if assignee is not None:
        # Permission first: a frontline agent learns nothing about who else could work on the case.
        if assignee.pk != by.pk and not by.is_supervisor_or_above:
            raise NotAllowed(_("Only supervisors can assign cases to someone else."))
        if not access.can_view_case(assignee, case):
            raise InvalidInput(_("This person cannot work on cases at this location."))
    elif case.assignee_id not in {None, by.pk} and not by.is_supervisor_or_above:
        raise NotAllowed(_("Only supervisors can unassign someone else's case."))
    if (assignee.pk if assignee else None) == case.assignee_id:
        return case
    previous = case.assignee_id
    case.assignee = assignee
    save(case, at, "assignee")
    record(
        case,
        EventKind.ASSIGNED,
        by=by,
        at=at,
        data={"from": previous, "to": assignee.pk if assignee else None,
              "to_name": assignee.display_name if assignee else ""},
    )
    if assignee is not None and assignee.pk != by.pk:
        notify([assignee], "assigned", case, at=at, data={"by": by.display_name})
    return case


def set_status(case: Case, status: str, *, by: User | None, at: datetime, reason: str = "") -> None:
    old = case.status
    case.status = status
    was_open = case.is_open
    case.is_open = status in OPEN_STATUSES
    calendar = calendar_for(case.location)
    clock = resolution_clock(case)
    # The resolution clock runs only while the ball is in our court.
    should_run = case.is_open and status != Status.AWAITING_CUSTOMER
    if should_run and clock.running_since is None:
        clock = sla.resume_clock(clock, at)
    elif not should_run and clock.running_since is not None:
        clock = sla.pause_clock(clock, at, calendar)
    case.resolution_consumed_s = clock.consumed_seconds
    case.resolution_running_since = clock.running_since
    if status == Status.RESOLVED:
        case.resolved_at = at
    if status == Status.CLOSED:
        case.closed_at = at
    if status == Status.REOPENED:
        case.resolved_at = None
        case.closed_at = None
    reschedule(case, at)
    save(case, at, "status", "is_open", "resolved_at", "closed_at", *SLA_FIELDS)
    kinds: dict[str, EventKind] = {
        Status.RESOLVED: EventKind.RESOLVED,
        Status.REOPENED: EventKind.REOPENED,
        Status.CLOSED: EventKind.CLOSED,
    }
    kind = kinds.get(status, EventKind.STATUS_CHANGED)
    record(case, kind, by=by, at=at, body=reason if reason not in {"customer_replied"} else "", visible=True,
           data={"from": old, "to": status, "reason": reason, "was_open": was_open})


@transaction.atomic
def change_status(case: Case, status: str, *, by: User, reason: str = "", at: datetime | None = None) -> Case:
    """Move the case along its lifecycle; resolving, reopening and closing go through their own services."""
    at = now(at)
    require_view(case, by)
    if status not in Status.values:
        raise InvalidInput(_("Unknown status."))
    if status == Status.RESOLVED:
        return resolve(case, by=by, summary=reason, at=at)
    if status == Status.REOPENED:
        return reopen(case, by=by, reason=reason, at=at)
    if status == Status.CLOSED:
        return close_case(case, by=by, at=at)
    if status == Status.ACKNOWLEDGED:
        return acknowledge(case, by=by, at=at)
    if status == case.status:
        return case
    if status not in TRANSITIONS[case.status]:
        raise InvalidTransition(
            _("A case that is “%(old)s” cannot become “%(new)s”.")
            % {"old": Status(case.status).label, "new": Status(status).label}
        )
    set_status(case, status, by=by, at=at, reason=reason.strip())
    return case


@transaction.atomic
def resolve(
    case: Case, *, by: User, summary: str = "", override_reason: str = "", at: datetime | None = None
) -> Case:
    """Mark the failure as put right; the clocks stop and the follow-up is scheduled. An app built on
    the core may refuse it (kintsugi.cases.hooks; recovery: while a required playbook step is open, unless a
    supervisor or above gives an `override_reason`)."""
    at = now(at)
    require_view(case, by)
    if not case.is_open:
        raise InvalidTransition(_("This case is already resolved or closed."))
    for extension in extensions():
        extension.check_resolve(case, by=by, override_reason=override_reason, at=at)
    set_status(case, Status.RESOLVED, by=by, at=at, reason=summary.strip())
    for extension in extensions():
        extension.after_resolve(case, by=by, at=at)
    return case


@transaction.atomic
def reopen(
    case: Case, *, by: User | None, reason: str = "", at: datetime | None = None, notification: str = "reopened"
) -> Case:
    """Reopen a resolved or closed case; its resolution clock continues where it stopped. The assignee is told
    (as `notification`: a caller with a more telling reason names its own kind) unless they reopened it."""
    at = now(at)
    require_view(case, by)
    if case.is_open:
        raise InvalidTransition(_("This case is still open."))
    set_status(case, Status.REOPENED, by=by, at=at, reason=reason.strip())
    if case.assignee_id is not None and (by is None or case.assignee_id != by.pk):
        notify([case.assignee_id], notification, case, at=at)
    return case


@transaction.atomic
def close_case(case: Case, *, by: User, at: datetime | None = None) -> Case:
    """Close a resolved case for good (it can still be reopened)."""
    at = now(at)
    require_view(case, by)
    if case.status != Status.RESOLVED:
        raise InvalidTransition(_("Only a resolved case can be closed."))
    set_status(case, Status.CLOSED, by=by, at=at)
    return case


@transaction.atomic
def escalate(case: Case, *, by: User, reason: str, at: datetime | None = None) -> Case:
    """Ask for help: the priority goes up one level and the supervisors are told."""
    at = now(at)
    require_view(case, by)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Please say why the case needs escalating."))
    if not case.is_open:
        raise InvalidTransition(_("Only an open case can be escalated."))
    escalate_now(case, by=by, at=at, reason="manual", body=reason)
    return case


@transaction.atomic
def update_details(
    case: Case,
    *,
    by: User,
    category: Category | None = None,
    severity: int | None = None,
    failure_type: str | None = None,
    at: datetime | None = None,
) -> Case:
    """Correct the case's classification; each change is recorded."""
    at = now(at)
    require_view(case, by)
    changes: dict[str, list[Any]] = {}
    if category is not None and category.pk != case.category_id:
        if category.organisation_id != case.organisation_id:
            raise InvalidInput(_("Unknown category."))
        changes["category"] = [case.category_id, category.pk]
        case.category = category
    if severity is not None and severity != case.severity:
        if not 1 <= severity <= 5:
            raise InvalidInput(_("Severity must be between 1 and 5."))
        changes["severity"] = [case.severity, severity]
        case.severity = severity
    if failure_type is not None and failure_type != case.failure_type:
        if failure_type not in FailureType.values:
            raise InvalidInput(_("Unknown failure type."))
        changes["failure_type"] = [case.failure_type, failure_type]
        case.failure_type = failure_type
    if not changes:
        return case
    save(case, at, *changes)
    record(case, EventKind.UPDATED, by=by, at=at, data=changes)
    return case
