"""The status lifecycle: which moves are allowed, the resolution clock pausing for the customer, resolve,
close and reopen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import (
    SLA_SORT_NEVER,
    Case,
    Channel,
    Customer,
    EventKind,
    SlaPolicy,
    Status,
    Timer,
    TimerKind,
    TimerState,
)
from kintsugi.comms.models import Notification
from kintsugi.recovery.testing import complete_steps

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
STEP = timedelta(minutes=1)


def hanoi_time(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HANOI)


@pytest.fixture
def monday_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, en_customer: Customer) -> Case:
    """A web case opened Monday 10:00 in Hà Nội: first response due 11:00, resolution Tuesday 09:00."""
    return services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              customer=en_customer, description="The room was not cleaned.", at=MONDAY_10AM)


def pending_timers(case: Case) -> list[tuple[str, datetime, datetime | None]]:
    """(kind, due, then the breach's due for a warning) of the case's pending timers."""
    return sorted(
        Timer.objects.filter(case=case, state=TimerState.PENDING).values_list("kind", "due_at", "then_due_at")
    )


# ------------------------------------------------------------------------------------------ transitions

def bring_to(case: Case, status: str, by: User) -> None:
    """Move a new case into `status` through the services."""
    if status == Status.ACKNOWLEDGED:
        services.acknowledge(case, by=by, at=MONDAY_10AM)
    elif status in {Status.IN_PROGRESS, Status.AWAITING_CUSTOMER}:
        services.change_status(case, status, by=by, at=MONDAY_10AM)
    elif status in {Status.RESOLVED, Status.CLOSED, Status.REOPENED}:
        complete_steps(case, by=by)
        services.resolve(case, by=by, at=MONDAY_10AM)
        if status == Status.CLOSED:
            services.close_case(case, by=by, at=MONDAY_10AM)
        if status == Status.REOPENED:
            services.reopen(case, by=by, at=MONDAY_10AM)


PAIRS = [(old, new) for old in Status.values for new in Status.values if old != new]


def test_transition_table_covers_every_status() -> None:
    assert set(services.TRANSITIONS) == set(Status.values)
    assert all(targets <= set(Status.values) for targets in services.TRANSITIONS.values())
    assert not any(Status.NEW in targets for targets in services.TRANSITIONS.values())


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_change_status_follows_the_transition_table(monday_case: Case, supervisor: User, old: str,
                                                    new: str) -> None:
    bring_to(monday_case, old, supervisor)
    monday_case.refresh_from_db()
    assert monday_case.status == old
    complete_steps(monday_case, by=supervisor)  # the playbook allows resolving
    events = monday_case.events.count()

    if new in services.TRANSITIONS[old]:
        services.change_status(monday_case, new, by=supervisor, reason="Because.", at=MONDAY_10AM + STEP)
        monday_case.refresh_from_db()
        assert monday_case.status == new
        assert monday_case.is_open is (new not in {Status.RESOLVED, Status.CLOSED})
        # Resolving also schedules the follow-up.
        assert monday_case.events.count() == events + (2 if new == Status.RESOLVED else 1)
    else:
        with pytest.raises(services.InvalidTransition):
            services.change_status(monday_case, new, by=supervisor, reason="Because.", at=MONDAY_10AM + STEP)
        monday_case.refresh_from_db()
        assert (monday_case.status, monday_case.events.count()) == (old, events)


def test_the_same_status_again_changes_nothing(monday_case: Case, agent: User) -> None:
    services.change_status(monday_case, Status.IN_PROGRESS, by=agent, at=MONDAY_10AM)

    services.change_status(monday_case, Status.IN_PROGRESS, by=agent, at=MONDAY_10AM + STEP)

    monday_case.refresh_from_db()
    assert (monday_case.updated_at, monday_case.events.count()) == (MONDAY_10AM, 2)


def test_unknown_status_is_invalid_input(monday_case: Case, agent: User) -> None:
    with pytest.raises(services.InvalidInput):
        services.change_status(monday_case, "on_fire", by=agent, at=MONDAY_10AM)


def test_status_change_is_on_the_timeline(monday_case: Case, agent: User) -> None:
    services.change_status(monday_case, Status.IN_PROGRESS, by=agent, reason="  Housekeeping called. ",
                           at=MONDAY_10AM + STEP)

    event = monday_case.events.get(kind=EventKind.STATUS_CHANGED)
    assert (event.actor, event.body, event.is_customer_visible, event.created_at, event.data) == (
        agent, "Housekeeping called.", True, MONDAY_10AM + STEP,
        {"from": "new", "to": "in_progress", "reason": "Housekeeping called.", "was_open": True},
    )


# ------------------------------------------------------------------------------------------ awaiting customer


def test_awaiting_the_customer_pauses_the_resolution_clock(monday_case: Case, agent: User) -> None:
    services.reply(monday_case, "Which room are you in?", by=agent, at=hanoi_time(11, 16, 10, 30))

    services.change_status(monday_case, Status.AWAITING_CUSTOMER, by=agent, at=hanoi_time(11, 16, 12, 0))

    monday_case.refresh_from_db()
    assert monday_case.resolution_consumed_s == 2 * 3600
    assert (monday_case.resolution_running_since, monday_case.resolution_due_at) == (None, None)
    assert (monday_case.sla_sort, monday_case.sla_warn_at) == (SLA_SORT_NEVER, None)
    assert pending_timers(monday_case) == []
    assert Timer.objects.filter(case=monday_case, kind=TimerKind.RESOLUTION_WARNING,
                                state=TimerState.CANCELLED).count() == 2  # from the open and from the reply


def test_customer_message_resumes_the_clock_with_the_time_already_used(monday_case: Case, agent: User) -> None:
    services.reply(monday_case, "Which room are you in?", by=agent, at=hanoi_time(11, 16, 10, 30))
    monday_case.refresh_from_db()
    assert monday_case.resolution_due_at == hanoi_time(11, 17, 9, 0)
    services.change_status(monday_case, Status.AWAITING_CUSTOMER, by=agent, at=hanoi_time(11, 16, 12, 0))

    services.receive_message(monday_case, "Room 305.", at=hanoi_time(11, 16, 15, 0))

    monday_case.refresh_from_db()
    assert monday_case.status == Status.IN_PROGRESS
    assert monday_case.resolution_consumed_s == 2 * 3600
    assert monday_case.resolution_running_since == hanoi_time(11, 16, 15, 0)
    # Paused for 3 working hours (12:00-15:00): the deadline moves from Tuesday 09:00 to Tuesday 12:00.
    assert monday_case.resolution_due_at == hanoi_time(11, 17, 12, 0)
    assert pending_timers(monday_case) == [
        # 6 h of 8: 2 h used, 2 h Monday, 2 h Tuesday; the breach at the new deadline
        (TimerKind.RESOLUTION_WARNING, hanoi_time(11, 17, 10, 0), hanoi_time(11, 17, 12, 0)),
    ]
    event = monday_case.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert event is not None
    assert (event.actor, event.body, event.data) == (
        None, "", {"from": "awaiting_customer", "to": "in_progress", "reason": "customer_replied", "was_open": True}
    )


def test_a_pause_overnight_shifts_the_deadline_by_the_working_time_only(monday_case: Case, agent: User) -> None:
    services.reply(monday_case, "Can you send a photo?", by=agent, at=hanoi_time(11, 16, 10, 30))
    services.change_status(monday_case, Status.AWAITING_CUSTOMER, by=agent, at=hanoi_time(11, 16, 16, 0))

    services.receive_message(monday_case, "Here it is.", at=hanoi_time(11, 17, 9, 0))

    monday_case.refresh_from_db()
    # 16:00-17:00 Monday and 08:00-09:00 Tuesday: two working hours paused, the night does not count.
    assert monday_case.resolution_consumed_s == 6 * 3600
    assert monday_case.resolution_due_at == hanoi_time(11, 17, 9, 0) + timedelta(hours=2)


def test_staff_can_take_the_case_back_from_awaiting(monday_case: Case, agent: User) -> None:
    services.change_status(monday_case, Status.AWAITING_CUSTOMER, by=agent, at=hanoi_time(11, 16, 11, 0))

    services.change_status(monday_case, Status.IN_PROGRESS, by=agent, at=hanoi_time(11, 16, 14, 0))

    monday_case.refresh_from_db()
    assert (monday_case.resolution_consumed_s, monday_case.resolution_due_at) == (3600, hanoi_time(11, 17, 12, 0))


# ------------------------------------------------------------------------------------------ resolve, close, reopen


def test_resolving_stops_the_clocks(monday_case: Case, agent: User) -> None:
    services.reply(monday_case, "Cleaning now.", by=agent, at=hanoi_time(11, 16, 10, 30))

    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, summary=" Room cleaned, towels replaced. ", at=hanoi_time(11, 16, 13, 0))

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.is_open, monday_case.resolved_at, monday_case.closed_at) == (
        Status.RESOLVED, False, hanoi_time(11, 16, 13, 0), None
    )
    assert monday_case.resolution_consumed_s == 3 * 3600
    assert (monday_case.resolution_running_since, monday_case.resolution_due_at) == (None, None)
    assert monday_case.sla_sort == SLA_SORT_NEVER
    # Only the follow-up is left: three days later, Thursday 13:00 in Hà Nội.
    assert pending_timers(monday_case) == [("follow_up", hanoi_time(11, 19, 13, 0), None)]
    event = monday_case.events.get(kind=EventKind.RESOLVED)
    assert (event.body, event.data) == (
        "Room cleaned, towels replaced.",
        {"from": "in_progress", "to": "resolved", "reason": "Room cleaned, towels replaced.", "was_open": True},
    )


def test_a_resolved_case_cannot_be_resolved_again(monday_case: Case, agent: User) -> None:
    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, at=MONDAY_10AM)

    with pytest.raises(services.InvalidTransition):
        services.resolve(monday_case, by=agent, at=MONDAY_10AM + STEP)

    monday_case.refresh_from_db()
    # created, playbook set, five steps ticked, resolved, follow-up scheduled
    assert (monday_case.resolved_at, monday_case.events.count()) == (MONDAY_10AM, 9)


def test_closing_a_resolved_case(monday_case: Case, agent: User) -> None:
    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, at=MONDAY_10AM)

    services.close_case(monday_case, by=agent, at=MONDAY_10AM + STEP)

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.is_open, monday_case.resolved_at, monday_case.closed_at) == (
        Status.CLOSED, False, MONDAY_10AM, MONDAY_10AM + STEP
    )
    assert monday_case.events.last().kind == EventKind.CLOSED  # type: ignore[union-attr]


def test_only_a_resolved_case_can_be_closed(monday_case: Case, agent: User) -> None:
    with pytest.raises(services.InvalidTransition):
        services.close_case(monday_case, by=agent, at=MONDAY_10AM)

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.closed_at, monday_case.events.count()) == (Status.NEW, None, 1)


@pytest.mark.parametrize("closed", [False, True])
def test_reopening_clears_the_timestamps_and_resumes_the_clock(
    monday_case: Case, agent: User, supervisor: User, closed: bool
) -> None:
    services.reply(monday_case, "Cleaning now.", by=agent, at=hanoi_time(11, 16, 10, 30))
    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, at=hanoi_time(11, 16, 12, 0))
    if closed:
        services.close_case(monday_case, by=agent, at=hanoi_time(11, 16, 12, 30))

    services.reopen(monday_case, by=supervisor, reason="Guest says the towels are still dirty.",
                    at=hanoi_time(11, 16, 14, 0))

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.is_open, monday_case.resolved_at, monday_case.closed_at) == (
        Status.REOPENED, True, None, None
    )
    assert monday_case.resolution_consumed_s == 2 * 3600
    assert monday_case.resolution_running_since == hanoi_time(11, 16, 14, 0)
    assert monday_case.resolution_due_at == hanoi_time(11, 17, 11, 0)  # 3 h Monday, 3 h Tuesday
    assert pending_timers(monday_case) == [
        (TimerKind.RESOLUTION_WARNING, hanoi_time(11, 17, 9, 0), hanoi_time(11, 17, 11, 0)),
    ]
    event = monday_case.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.body, event.data["from"]) == (
        supervisor, "Guest says the towels are still dirty.", "closed" if closed else "resolved"
    )
    note = Notification.objects.get()
    assert (note.user, note.kind, note.case, note.created_at) == (agent, "reopened", monday_case,
                                                                  hanoi_time(11, 16, 14, 0))


def test_the_assignee_reopening_is_not_told_about_it(monday_case: Case, agent: User) -> None:
    services.acknowledge(monday_case, by=agent, at=MONDAY_10AM)
    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, at=MONDAY_10AM + STEP)

    services.reopen(monday_case, by=agent, at=MONDAY_10AM + 2 * STEP)

    assert Notification.objects.count() == 0


def test_an_open_case_cannot_be_reopened(monday_case: Case, agent: User) -> None:
    with pytest.raises(services.InvalidTransition):
        services.reopen(monday_case, by=agent, at=MONDAY_10AM)

    monday_case.refresh_from_db()
    assert (monday_case.status, monday_case.events.count()) == (Status.NEW, 1)


def test_status_changes_keep_utc_instants(monday_case: Case, agent: User) -> None:
    """The services accept any aware datetime and store the same instant."""
    complete_steps(monday_case, by=agent)
    services.resolve(monday_case, by=agent, at=hanoi_time(11, 16, 12, 0))

    monday_case.refresh_from_db()
    assert monday_case.resolved_at == datetime(2026, 11, 16, 5, 0, tzinfo=UTC)

