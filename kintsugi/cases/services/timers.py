"""SLA clocks and timers: a case's pending timer rows follow its clocks, and the timer loop claims and fires the
due ones (a conditional UPDATE claims each, so two loops never fire the same timer)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.cases import sla
from kintsugi.cases.hooks import extensions
from kintsugi.cases.models import (
    BREACH_AFTER,
    SLA_SORT_NEVER,
    Case,
    EventKind,
    Priority,
    Timer,
    TimerKind,
    TimerState,
)
from kintsugi.cases.selectors import calendar_for, supervisors_for
from kintsugi.cases.services import events
from kintsugi.cases.services.events import Entry, notify, notify_many, record, record_many, save

log = logging.getLogger("kintsugi.timers")

SLA_FIELDS = (
    "first_response_due_at", "resolution_due_at", "resolution_consumed_s", "resolution_running_since",
    "sla_sort", "sla_warn_at", "first_response_breached", "resolution_breached",
)
# The timer kinds the core's SLA clocks own; any other kind belongs to an app's extension (the follow-up: recovery).
SLA_TIMER_KINDS = frozenset({*BREACH_AFTER, *BREACH_AFTER.values()})
PRIORITY_UP = {Priority.NORMAL: Priority.HIGH, Priority.HIGH: Priority.URGENT, Priority.URGENT: Priority.URGENT}


def resolution_clock(case: Case) -> sla.Clock:
    return sla.Clock(
        target_seconds=case.resolution_target_s,
        consumed_seconds=case.resolution_consumed_s,
        running_since=case.resolution_running_since,
    )


def refresh_sla(case: Case, at: datetime) -> list[Timer]:
    """Recompute the derived SLA fields and the pending timers that belong to them (caller saves the case and the
    timers): a warning per running target, each carrying its breach's moment (the breach's row is written when the
    warning is claimed, see claim_timer)."""
    calendar = calendar_for(case.location)
    fraction = case.organisation.sla_warning_percent / 100
    timers: list[Timer] = []
    warn_at: datetime | None = None
    running: datetime | None = None
    if case.is_open and case.first_response_at is None and case.first_response_due_at is not None:
        running = case.first_response_due_at
        warn_at = sla.add_working_time(case.created_at, case.first_response_target_s * fraction, calendar)
        if not case.first_response_breached:
            timers.append(Timer(
                case=case, organisation_id=case.organisation_id, kind=TimerKind.FIRST_RESPONSE_WARNING,
                due_at=warn_at, then_due_at=case.first_response_due_at,
            ))
    clock = resolution_clock(case)
    case.resolution_due_at = sla.due_at(clock, calendar) if case.is_open else None
    if case.is_open and case.resolution_due_at is not None:
        res_warn = sla.due_at(clock, calendar, fraction)
        assert res_warn is not None
        if running is None:
            running = case.resolution_due_at
            warn_at = res_warn
        if not case.resolution_breached:
            timers.append(Timer(
                case=case, organisation_id=case.organisation_id, kind=TimerKind.RESOLUTION_WARNING,
                due_at=res_warn, then_due_at=case.resolution_due_at,
            ))
    case.sla_sort = running or SLA_SORT_NEVER
    case.sla_warn_at = warn_at
    return timers


def reschedule(case: Case, at: datetime) -> None:
    """Replace the case's pending timers with those of its current clocks (a resolved or closed case keeps its
    pending follow-up and the expiry of one sent; reopening cancels them)."""
    pending = Timer.objects.filter(case=case, state=TimerState.PENDING)
    if not case.is_open:
        pending = pending.exclude(kind__in=(TimerKind.FOLLOW_UP, TimerKind.FOLLOW_UP_EXPIRY))
    pending.update(state=TimerState.CANCELLED)
    timers = refresh_sla(case, at)
    if timers:
        Timer.objects.bulk_create(timers)


def escalation(case: Case, *, by: User | None, at: datetime, reason: str, body: str = "") -> Entry:
    """The one escalation (a repeat failure, a breach, staff asking for help), in two halves: this one raises the
    case's priority one level (the caller saves the case) and gives its timeline entry; `tell_supervisors` then
    tells the supervisors. `escalate_now` does both for a saved case; opening a case does them for a batch of
    cases before and after it inserts them."""
    old = case.priority
    case.priority = PRIORITY_UP[Priority(case.priority)]
    return Entry(case, EventKind.ESCALATED, by, at, body, data={"reason": reason, "from": old, "to": case.priority})


def tell_supervisors(escalations: Sequence[Entry]) -> None:
    """Tell the supervisors of each escalated case (not the one who escalated it); one look-up per location."""
    supervisors: dict[tuple[int, int], list[int]] = {}
    told: list[tuple[Sequence[User | int], str, Case, datetime, dict[str, Any] | None]] = []
    for entry in escalations:
        case = entry.case
        key = (case.organisation_id, case.location_id)
        if key not in supervisors:
            supervisors[key] = list(supervisors_for(case).values_list("pk", flat=True))
        recipients = [pk for pk in supervisors[key] if entry.by is None or pk != entry.by.pk]
        told.append((recipients, "escalated", case, entry.at, {"reason": entry.data["reason"]}))
    notify_many(told)


def escalate_now(case: Case, *, by: User | None, at: datetime, reason: str, body: str = "") -> None:
    """Escalate a saved case: its priority up one level, on the timeline, and the supervisors told."""
    entry = escalation(case, by=by, at=at, reason=reason, body=body)
    save(case, at, "priority")
    record_many([entry])
    tell_supervisors([entry])


@transaction.atomic
def fire_timer(timer: Timer, *, at: datetime | None = None) -> bool:
    """Run one due timer that this worker has claimed (a kind an app owns, such as the follow-up, goes to that
    app's extension); returns False when it no longer applies."""
    at = events.now(at)
    if timer.kind not in SLA_TIMER_KINDS:
        for extension in extensions():
            fired = extension.fire_timer(timer, at)
            if fired is not None:
                return fired
        return False
    case = Case.objects.select_related("organisation", "location").get(pk=timer.case_id)
    if not case.is_open:
        return False
    kind = TimerKind(timer.kind)
    is_first_response = kind in {TimerKind.FIRST_RESPONSE_WARNING, TimerKind.FIRST_RESPONSE_BREACH}
    if is_first_response and case.first_response_at is not None:
        return False
    if not is_first_response and (case.resolution_running_since is None or case.resolution_due_at is None):
        return False
    target = "first_response" if is_first_response else "resolution"
    due = case.first_response_due_at if is_first_response else case.resolution_due_at
    data = {"target": target, "due_at": due.isoformat() if due else None}
    if kind in BREACH_AFTER:  # a warning
        record(case, EventKind.SLA_WARNING, by=None, at=at, data=data)
        recipients: list[Any] = list(supervisors_for(case).values_list("pk", flat=True))
        if case.assignee_id is not None:
            recipients.append(case.assignee_id)
        notify(recipients, "sla_warning", case, at=at, data=data)
        return True
    if is_first_response:
        case.first_response_breached = True
    else:
        case.resolution_breached = True
    save(case, at, "first_response_breached", "resolution_breached")
    record(case, EventKind.SLA_BREACH, by=None, at=at, data=data)
    escalate_now(case, by=None, at=at, reason=f"{target}_breach")
    if case.assignee_id is not None:
        notify([case.assignee_id], "sla_breach", case, at=at, data=data)
    return True


@transaction.atomic
def claim_timer(timer: Timer, at: datetime) -> tuple[bool, Timer | None]:
    """Claim one pending timer to fire it at `at`, with a conditional update (of two loops, one wins). A claimed
    warning that carries its breach's moment schedules that breach now, so the breach comes whether or not the
    warning itself goes through. Returns whether this loop won, and the breach's new timer if one was
    scheduled."""
    won = Timer.objects.filter(pk=timer.pk, state=TimerState.PENDING).update(state=TimerState.DONE, fired_at=at)
    if not won:
        return False, None
    timer.state, timer.fired_at = TimerState.DONE, at
    if timer.then_due_at is None or timer.kind not in BREACH_AFTER:
        return True, None
    return True, Timer.objects.create(case_id=timer.case_id, organisation_id=timer.organisation_id,
                                      kind=BREACH_AFTER[TimerKind(timer.kind)], due_at=timer.then_due_at)


def claim_due_timers(*, now: datetime | None = None, limit: int = 200) -> list[Timer]:
    """Claim due timers (up to `limit`, and the breaches that claimed warnings schedule when those are due too),
    so two loops never fire the same one; in the order they fall due."""
    moment = events.now(now)
    claimed: list[Timer] = []
    candidates = list(
        Timer.objects.filter(state=TimerState.PENDING, due_at__lte=moment).order_by("due_at", "id")[:limit]
    )
    while candidates:
        followers: list[Timer] = []
        for timer in candidates:
            won, breach = claim_timer(timer, moment)
            if not won:
                continue
            claimed.append(timer)
            if breach is not None and breach.due_at <= moment:
                followers.append(breach)
        candidates = followers
    claimed.sort(key=lambda timer: (timer.due_at, timer.pk))
    return claimed


def run_due_timers(*, now: datetime | None = None) -> int:
    """Fire every due timer once; returns how many applied."""
    fired = 0
    for timer in claim_due_timers(now=now):
        try:
            if fire_timer(timer, at=now):
                fired += 1
        except Exception:
            # A claimed timer that fails is given back for the next tick (a warning or breach must not be lost),
            # and the other claimed timers still fire. A warning's breach was scheduled when it was claimed: the
            # warning goes back without it, so claiming it again schedules no second breach.
            log.exception("SLA timer %s failed", timer.pk)
            Timer.objects.filter(pk=timer.pk, state=TimerState.DONE).update(
                state=TimerState.PENDING, fired_at=None, then_due_at=None
            )
    return fired

