"""Playing the plan: every planned case goes through the case services, back-dated with `at=`, with its SLA
timers fired and its follow-up sent and answered at their own time, so the timelines, SLA clocks and
notifications are the real ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from kintsugi.cases import services
from kintsugi.cases.models import Case, Status, Timer, TimerKind, TimerState
from kintsugi.demo import recovery as recovery_demo
from kintsugi.demo import remedies as remedies_demo
from kintsugi.demo.organisation import STAFF, STAFF_BY_NAME, World
from kintsugi.demo.plan import CasePlan, CustomerPlan, Step
from kintsugi.recovery.services import answer_follow_up


class _Timers:
    """One case's pending SLA timers, fired at their own time as the timer loop would have fired them. The
    list is read again only after a step that may have rescheduled them."""

    RESCHEDULING = frozenset({"await", "resolve", "reopen", "close"})

    def __init__(self, case: Any) -> None:
        self.case = case
        self.pending: list[Any] | None = None
        self.last: datetime = case.created_at

    def before(self, step: Step) -> None:
        case = self.case
        if (step.kind in self.RESCHEDULING or (step.kind == "reply" and case.first_response_at is None)
                or (step.kind == "customer" and case.status == "awaiting_customer")):
            self.pending = None

    def fire(self, until: datetime) -> None:
        case = self.case
        if not case.is_open:
            return
        if self.pending is None:
            # The earliest pending timer is never before the earliest of these (warnings come first).
            clocks = [case.sla_warn_at, case.resolution_due_at if case.resolution_running_since else None,
                      case.first_response_due_at if case.first_response_at is None else None]
            if all(moment is None or moment > until for moment in clocks):
                return
            rows = Timer.objects.filter(case=case, state=TimerState.PENDING).order_by("due_at")
            self.pending = [
                Timer(pk=pk, case_id=case.pk, organisation_id=case.organisation_id, kind=kind, due_at=due_at,
                      then_due_at=then_due_at)
                for pk, kind, due_at, then_due_at in rows.values_list("pk", "kind", "due_at", "then_due_at")
            ]
        fired = False
        while due := [timer for timer in self.pending if timer.due_at <= until]:
            timer = min(due, key=lambda timer: (timer.due_at, timer.pk))
            self.pending.remove(timer)
            at = max(timer.due_at, self.last)  # a timer set in the past fires no earlier than the last event
            won, breach = services.claim_timer(timer, at)
            if won:
                if breach is not None:  # a warning's breach, scheduled as it was claimed
                    self.pending.append(breach)
                services.fire_timer(timer, at=at)
            self.last, fired = at, True
        if fired:  # fire_timer worked on its own copy of the case
            fresh = Case.objects.filter(pk=case.pk).values(*self.FIRED_FIELDS).get()
            for name, value in fresh.items():
                setattr(case, name, value)

    FIRED_FIELDS = ("priority", "first_response_breached", "resolution_breached", "updated_at")


def _user(world: World, username: str) -> Any:
    """The staff member, or a colleague at the same places when that username was taken by someone else."""
    if username in world.users:
        return world.users[username]
    spec = STAFF_BY_NAME[username]
    for other in STAFF:
        if other.username in world.users and other.role == spec.role and other.locations == spec.locations:
            return world.users[other.username]
    return next(world.users[s.username] for s in STAFF if s.username in world.users and not s.locations
                and s.role in {"supervisor", "cx_manager"})


def play(world: World, customers: Sequence[CustomerPlan], plan: CasePlan) -> None:
    person = customers[plan.customer]
    customer = services.find_or_create_customer(
        organisation=world.organisation, name=person.person.name, language=person.person.language,
        at=plan.created_at, **plan.identities,
    )
    case = services.open_case(
        by=_user(world, plan.opened_by) if plan.opened_by else None, organisation=world.organisation,
        description=plan.description, channel=plan.channel, location=world.locations[plan.location],
        touchpoint=world.touchpoints.get(plan.touchpoint), customer=customer,
        category=world.categories[plan.category], severity=plan.severity, language=plan.language,
        subject=plan.subject, at=plan.created_at,
    )
    timers = _Timers(case)
    for step in plan.steps:
        timers.fire(step.at)
        _follow_up(case, step.at, now=world.now)
        timers.before(step)
        by: Any = _user(world, step.actor) if step.actor else None
        if step.kind == "ack":
            services.acknowledge(case, by=by, at=step.at)
        elif step.kind == "assign":
            services.assign(case, _user(world, step.target), by=by, at=step.at)
        elif step.kind == "reply":
            services.reply(case, step.text, by=by, at=step.at)
        elif step.kind == "await":
            services.change_status(case, Status.AWAITING_CUSTOMER, by=by, at=step.at)
        elif step.kind == "note":
            services.add_note(case, step.text, by=by, at=step.at)
        elif step.kind == "customer":
            services.receive_message(case, step.text, at=step.at)
        elif step.kind == "escalate":
            services.escalate(case, by=by, reason=step.text, at=step.at)
        elif step.kind == "resolve":
            # What the story did not record as events (a remedy given, steps done at the desk) happens now, so
            # the history obeys the playbook's resolve rule like a real one.
            remedies_demo.before_resolving(case, by=by, at=step.at)
            recovery_demo.before_resolving(case, by=by, at=step.at)
            services.resolve(case, by=by, summary=step.text, at=step.at)
        elif step.kind == "reopen":
            services.reopen(case, by=by, reason=step.text, at=step.at)
        elif step.kind == "close":
            services.close_case(case, by=by, at=step.at)
        else:  # pragma: no cover - the planner writes only the kinds above
            raise ValueError(step.kind)
        timers.last = step.at
    # Whatever fell due between the last step and now has fired too, as the timer loop would have done.
    timers.fire(world.now)
    _follow_up(case, world.now, now=world.now)


def _follow_up(case: Any, until: datetime, *, now: datetime) -> None:
    """The follow-up after resolving, as the timer loop and the customer would have done it, up to `until` (the
    next step of the story): sent when it fell due, and answered "all good" three hours later if that is before
    `until` and more than two days ago (the last days' still await an answer). So starting the demo does not
    send months of follow-ups at once, and the timeline stays in order."""
    if case.is_open:  # a follow-up waits only on a resolved or closed case
        return
    due = Timer.objects.filter(case=case, kind=TimerKind.FOLLOW_UP, state=TimerState.PENDING, due_at__lte=until)
    for timer in due:
        Timer.objects.filter(pk=timer.pk).update(state=TimerState.DONE, fired_at=timer.due_at)
        services.fire_timer(timer, at=timer.due_at)
        answered = timer.due_at + timedelta(hours=3)
        if answered <= until and answered <= now - timedelta(days=2):
            answer_follow_up(case, happy=True, at=answered)


