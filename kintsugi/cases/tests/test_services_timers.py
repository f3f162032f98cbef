"""SLA timers: warnings at the organisation's percentage, breaches at 100 %, each fired exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Channel, EventKind, Priority, SlaPolicy, Status, Timer, TimerState
from kintsugi.comms.models import Notification
from kintsugi.recovery.testing import complete_steps

FR_WARNING = datetime(2026, 11, 16, 3, 45, tzinfo=UTC)  # Monday 10:45 in Hà Nội: 75 % of the hour
FR_BREACH = datetime(2026, 11, 16, 4, 0, tzinfo=UTC)  # Monday 11:00
RES_WARNING = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # Monday 16:00: 6 of 8 working hours
RES_BREACH = datetime(2026, 11, 17, 2, 0, tzinfo=UTC)  # Tuesday 09:00
SECOND = timedelta(seconds=1)


@pytest.fixture
def monday_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, agent: User) -> Case:
    """A web case opened Monday 10:00 in Hà Nội, acknowledged (so assigned) by the agent at once."""
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              description="The room was not cleaned.", at=MONDAY_10AM)
    return services.acknowledge(case, by=agent, at=MONDAY_10AM)


def sla_events(case: Case) -> list[tuple[str, dict[str, Any]]]:
    kinds = [EventKind.SLA_WARNING, EventKind.SLA_BREACH, EventKind.ESCALATED]
    return list(case.events.filter(kind__in=kinds).values_list("kind", "data"))


def notifications() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("user__username", "kind"))


def test_nothing_fires_before_the_warning(monday_case: Case, supervisor: User) -> None:
    assert services.run_due_timers(now=FR_WARNING - SECOND) == 0

    assert sla_events(monday_case) == []
    assert Timer.objects.filter(state=TimerState.PENDING).count() == 2


def test_first_response_warning_at_75_percent(monday_case: Case, supervisor: User, manager: User,
                                             bangkok_agent: User) -> None:
    assert services.run_due_timers(now=FR_WARNING) == 1

    data = {"target": "first_response", "due_at": "2026-11-16T04:00:00+00:00"}
    assert sla_events(monday_case) == [(EventKind.SLA_WARNING, data)]
    assert notifications() == [("agent", "sla_warning"), ("manager", "sla_warning"), ("supervisor", "sla_warning")]
    assert set(Notification.objects.values_list("created_at", flat=True)) == {FR_WARNING}
    monday_case.refresh_from_db()
    assert (monday_case.priority, monday_case.first_response_breached) == (Priority.NORMAL, False)


def test_a_claimed_warning_schedules_its_breach(monday_case: Case, supervisor: User) -> None:
    services.run_due_timers(now=FR_WARNING)

    pending = Timer.objects.filter(state=TimerState.PENDING).order_by("due_at")
    assert list(pending.values_list("kind", "due_at", "then_due_at")) == [
        ("fr_breach", FR_BREACH, None),
        ("res_warning", RES_WARNING, RES_BREACH),
    ]


def test_first_response_breach_at_100_percent(monday_case: Case, supervisor: User, manager: User) -> None:
    services.run_due_timers(now=FR_WARNING)
    Notification.objects.all().delete()

    assert services.run_due_timers(now=FR_BREACH) == 1

    monday_case.refresh_from_db()
    assert (monday_case.first_response_breached, monday_case.resolution_breached) == (True, False)
    assert (monday_case.priority, monday_case.updated_at) == (Priority.HIGH, FR_BREACH)
    data = {"target": "first_response", "due_at": "2026-11-16T04:00:00+00:00"}
    assert sla_events(monday_case) == [
        (EventKind.SLA_WARNING, data),
        (EventKind.SLA_BREACH, data),
        (EventKind.ESCALATED, {"reason": "first_response_breach", "from": "normal", "to": "high"}),
    ]
    assert notifications() == [("agent", "sla_breach"), ("manager", "escalated"), ("supervisor", "escalated")]


def test_a_case_answered_in_time_fires_nothing(monday_case: Case, agent: User, supervisor: User) -> None:
    services.reply(monday_case, "On our way.", by=agent, at=FR_WARNING - SECOND)

    assert services.run_due_timers(now=FR_BREACH + timedelta(minutes=30)) == 0

    assert sla_events(monday_case) == []
    assert Notification.objects.count() == 0
    monday_case.refresh_from_db()
    assert (monday_case.first_response_breached, monday_case.priority) == (False, Priority.NORMAL)


def test_a_timer_claimed_before_the_answer_no_longer_applies(monday_case: Case, agent: User,
                                                            supervisor: User) -> None:
    claimed = services.claim_due_timers(now=FR_BREACH)
    services.reply(monday_case, "On our way.", by=agent, at=FR_BREACH)

    assert [services.fire_timer(timer, at=FR_BREACH) for timer in claimed] == [False, False]
    assert sla_events(monday_case) == []
    assert Notification.objects.count() == 0


def test_timers_of_a_resolved_case_are_cancelled(monday_case: Case, agent: User, supervisor: User) -> None:
    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, at=FR_WARNING - SECOND)

    assert services.run_due_timers(now=RES_BREACH) == 0
    assert set(Timer.objects.exclude(kind="follow_up").values_list("state", flat=True)) == {TimerState.CANCELLED}
    assert list(Timer.objects.filter(kind="follow_up").values_list("state", flat=True)) == [TimerState.PENDING]


def test_resolution_timers_do_not_fire_while_waiting_for_the_customer(monday_case: Case, agent: User,
                                                                      supervisor: User) -> None:
    services.reply(monday_case, "Which room?", by=agent, at=FR_WARNING - SECOND)
    services.change_status(monday_case, Status.AWAITING_CUSTOMER, by=agent, at=FR_WARNING)

    assert services.run_due_timers(now=RES_BREACH + timedelta(days=1)) == 0
    assert sla_events(monday_case) == []


def test_every_target_missed_makes_the_case_urgent(monday_case: Case, supervisor: User) -> None:
    assert services.run_due_timers(now=RES_BREACH) == 4

    monday_case.refresh_from_db()
    assert (monday_case.first_response_breached, monday_case.resolution_breached) == (True, True)
    assert monday_case.priority == Priority.URGENT
    fr = {"target": "first_response", "due_at": "2026-11-16T04:00:00+00:00"}
    res = {"target": "resolution", "due_at": "2026-11-17T02:00:00+00:00"}
    assert sla_events(monday_case) == [
        (EventKind.SLA_WARNING, fr),
        (EventKind.SLA_BREACH, fr),
        (EventKind.ESCALATED, {"reason": "first_response_breach", "from": "normal", "to": "high"}),
        (EventKind.SLA_WARNING, res),
        (EventKind.SLA_BREACH, res),
        (EventKind.ESCALATED, {"reason": "resolution_breach", "from": "high", "to": "urgent"}),
    ]


def test_a_timer_never_fires_twice(monday_case: Case, supervisor: User) -> None:
    assert services.run_due_timers(now=FR_BREACH) == 2
    assert services.run_due_timers(now=FR_BREACH) == 0
    assert services.run_due_timers(now=FR_BREACH + timedelta(minutes=5)) == 0

    assert [kind for kind, _data in sla_events(monday_case)] == [
        EventKind.SLA_WARNING, EventKind.SLA_BREACH, EventKind.ESCALATED,
    ]
    assert list(Timer.objects.filter(state=TimerState.DONE).order_by("due_at").values_list("kind", "fired_at")) == [
        ("fr_warning", FR_BREACH), ("fr_breach", FR_BREACH),
    ]


def test_claiming_twice_returns_disjoint_sets(monday_case: Case) -> None:
    first = services.claim_due_timers(now=RES_BREACH)
    second = services.claim_due_timers(now=RES_BREACH)

    assert len(first) == 4
    assert second == []


def test_two_racing_claimers_never_claim_the_same_timer(monday_case: Case) -> None:
    """The second loop runs its whole claim between the first loop's read and its first conditional update."""
    second: list[Timer] = []
    raced = False

    def interleave(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal raced
        if not raced and sql.lstrip().upper().startswith("UPDATE") and "timer" in sql.lower():
            raced = True
            second.extend(services.claim_due_timers(now=RES_BREACH))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(interleave):
        first = services.claim_due_timers(now=RES_BREACH)

    assert raced
    assert len(second) == 4
    assert first == []
    assert {t.pk for t in first} | {t.pk for t in second} == set(Timer.objects.values_list("pk", flat=True))


def test_a_timer_that_fails_is_given_back_and_the_others_still_fire(
    monday_case: Case, supervisor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fire = services.fire_timer
    failures: list[str] = []

    def flaky(timer: Timer, *, at: datetime | None = None) -> bool:
        if timer.kind == "fr_warning" and not failures:
            failures.append(timer.kind)
            raise RuntimeError("database hiccup")
        return real_fire(timer, at=at)

    monkeypatch.setattr("kintsugi.cases.services.timers.fire_timer", flaky)

    assert services.run_due_timers(now=FR_BREACH) == 1  # the breach fired although the warning failed
    assert list(Timer.objects.filter(state=TimerState.PENDING, kind="fr_warning").values_list("fired_at")) == [
        (None,)
    ]
    assert services.run_due_timers(now=FR_BREACH) == 1  # the next tick fires the warning
    assert [kind for kind, _data in sla_events(monday_case)] == [
        EventKind.SLA_BREACH, EventKind.ESCALATED, EventKind.SLA_WARNING,
    ]
    # Claimed again, the warning scheduled no second breach.
    assert Timer.objects.filter(kind="fr_breach").count() == 1
    assert services.run_due_timers(now=FR_BREACH + timedelta(minutes=5)) == 0


def test_timers_written_before_warnings_carried_their_breaches_fire_once_each(
    monday_case: Case, supervisor: User
) -> None:
    """A case opened before: warnings that carry nothing, and a pending row for each breach."""
    for kind, due_at in [("fr_breach", FR_BREACH), ("res_breach", RES_BREACH)]:
        Timer.objects.create(case=monday_case, organisation_id=monday_case.organisation_id, kind=kind, due_at=due_at)
    Timer.objects.filter(kind__in=["fr_warning", "res_warning"]).update(then_due_at=None)

    assert services.run_due_timers(now=RES_BREACH) == 4

    assert [kind for kind, _data in sla_events(monday_case)] == [
        EventKind.SLA_WARNING, EventKind.SLA_BREACH, EventKind.ESCALATED,
        EventKind.SLA_WARNING, EventKind.SLA_BREACH, EventKind.ESCALATED,
    ]
    assert Timer.objects.count() == 4


def test_default_targets_on_an_always_open_location(other_case: Case, outsider: User) -> None:
    """The outsider's organisation has no policy and its location never closes: the breach comes 8 hours on."""
    assert services.run_due_timers(now=other_case.created_at + timedelta(hours=8) - SECOND) == 1  # warning at 6 h
    assert services.run_due_timers(now=other_case.created_at + timedelta(hours=8)) == 1

    other_case.refresh_from_db()
    assert other_case.first_response_breached is True
    assert CaseEvent.objects.filter(case=other_case, kind=EventKind.SLA_BREACH).count() == 1


def test_a_breach_is_noticed_within_a_minute() -> None:
    assert 0 < settings.TIMER_TICK_SECONDS <= 60
