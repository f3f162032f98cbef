"""Table-driven tests for the SLA clocks in ``kintsugi.cases.sla``: pausing, resuming, warnings and what is left,
and the rejection of naive datetimes and bad numbers throughout the SLA arithmetic.

The calendars and the hand-worked instants are shared with test_sla_calendar (sla_calendars.py).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from kintsugi.cases.sla import (
    Clock,
    WorkingCalendar,
    add_working_time,
    due_at,
    pause_clock,
    remaining_seconds,
    resume_clock,
    start_clock,
    working_seconds_between,
)
from kintsugi.cases.tests.sla_calendars import (
    ALWAYS,
    BERLIN,
    HOLIDAYS,
    LUNCH,
    NIGHT,
    OFFICE,
    H,
    M,
    ict,
    utc,
)

# --------------------------------------------------------------------------- clocks: pause, resume, warn


def test_pause_over_weekend_consumes_nothing() -> None:
    clock = start_clock(ict(3, 7, 15), 4 * H)  # Fri 15:00, 2 h left on Friday
    assert due_at(clock, OFFICE) == ict(3, 10, 10)
    paused = pause_clock(clock, ict(3, 8, 10), OFFICE)  # Sat
    assert paused.consumed_seconds == 2 * H
    assert paused.running_since is None
    assert due_at(paused, OFFICE) is None
    assert remaining_seconds(paused, ict(3, 20), OFFICE) == 2 * H  # frozen while paused
    resumed = resume_clock(paused, ict(3, 9, 20))  # Sun evening
    assert due_at(resumed, OFFICE) == ict(3, 10, 10)  # same as never paused


def test_pause_during_working_hours_moves_the_deadline() -> None:
    clock = start_clock(ict(3, 7, 15), 4 * H)
    paused = pause_clock(clock, ict(3, 7, 16), OFFICE)  # awaiting customer after 1 h
    assert paused.consumed_seconds == 1 * H
    resumed = resume_clock(paused, ict(3, 10, 9))  # customer answers Mon 09:00
    assert remaining_seconds(resumed, ict(3, 10, 9), OFFICE) == 3 * H
    assert due_at(resumed, OFFICE) == ict(3, 10, 12)


def test_several_runs_accumulate() -> None:
    clock = start_clock(ict(3, 3, 8), 4 * H)
    clock = pause_clock(clock, ict(3, 3, 10), OFFICE)
    clock = resume_clock(clock, ict(3, 3, 13))
    clock = pause_clock(clock, ict(3, 3, 14), OFFICE)
    assert clock == Clock(target_seconds=4 * H, consumed_seconds=3 * H, running_since=None)
    clock = resume_clock(clock, ict(3, 3, 20))  # resumed after closing: counting restarts Tue 08:00
    assert due_at(clock, OFFICE) == ict(3, 4, 9)


def test_pause_and_resume_are_idempotent() -> None:
    running = start_clock(ict(3, 3, 8), 4 * H)
    assert resume_clock(running, ict(3, 3, 9)) == running
    paused = pause_clock(running, ict(3, 3, 9), OFFICE)
    assert pause_clock(paused, ict(3, 3, 12), OFFICE) == paused


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(ict(3, 3, 8, 15), 45 * M, id="in-time"),
        pytest.param(ict(3, 3, 9), 0.0, id="exactly-due"),
        pytest.param(ict(3, 3, 10), -1 * H, id="breached-by-an-hour"),
        pytest.param(ict(3, 4, 9), -9 * H, id="breached-next-day"),
        pytest.param(ict(3, 3, 7), 1 * H, id="now-before-start"),
    ],
)
def test_remaining_seconds(now: datetime, expected: float) -> None:
    clock = start_clock(ict(3, 3, 8), 1 * H)
    assert remaining_seconds(clock, now, OFFICE) == expected


def test_remaining_does_not_shrink_over_the_weekend() -> None:
    clock = start_clock(ict(3, 7, 16, 30), 1 * H)
    assert remaining_seconds(clock, ict(3, 9, 12), OFFICE) == 30 * M
    assert remaining_seconds(clock, ict(3, 10, 8, 45), OFFICE) == -15 * M


WARNING_CASES = [
    pytest.param(OFFICE, ict(3, 3, 8), 8 * H, ict(3, 3, 14), ict(3, 3, 16), id="office"),
    pytest.param(LUNCH, ict(3, 3, 8), 8 * H, ict(3, 3, 15), ict(3, 3, 17), id="lunch"),
    pytest.param(OFFICE, ict(3, 7, 14), 4 * H, ict(3, 7, 17), ict(3, 10, 9), id="warn-at-friday-close"),
    pytest.param(NIGHT, ict(3, 3, 18), 4 * H, ict(3, 3, 21), ict(3, 3, 22), id="overnight"),
    pytest.param(HOLIDAYS, ict(1, 24, 16), 2 * H, ict(2, 3, 8, 30), ict(2, 3, 9), id="tet"),
    pytest.param(BERLIN, utc(3, 28, 14), 8 * H, utc(3, 31, 11), utc(3, 31, 13), id="berlin-dst"),
]


@pytest.mark.parametrize(("cal", "start", "target", "warn", "breach"), WARNING_CASES)
def test_warning_at_three_quarters(
    cal: WorkingCalendar, start: datetime, target: float, warn: datetime, breach: datetime
) -> None:
    clock = start_clock(start, target)
    assert due_at(clock, cal, 0.75) == warn
    assert due_at(clock, cal) == breach


def test_warning_after_a_pause() -> None:
    clock = start_clock(ict(3, 3, 8), 4 * H)
    clock = resume_clock(pause_clock(clock, ict(3, 3, 9), OFFICE), ict(3, 4, 8))
    assert due_at(clock, OFFICE, 0.75) == ict(3, 4, 10)
    assert due_at(clock, OFFICE) == ict(3, 4, 11)


def test_warning_already_passed_before_pause_is_due_at_resume() -> None:
    clock = start_clock(ict(3, 3, 8), 4 * H)
    clock = resume_clock(pause_clock(clock, ict(3, 3, 11, 30), OFFICE), ict(3, 4, 8))  # 3.5 h used
    assert due_at(clock, OFFICE, 0.75) == ict(3, 4, 8)
    assert due_at(clock, OFFICE) == ict(3, 4, 8, 30)


def test_zero_target_clock() -> None:
    clock = start_clock(ict(3, 3, 19), 0.0)
    assert due_at(clock, OFFICE) == ict(3, 4, 8)
    assert remaining_seconds(clock, ict(3, 4, 9), OFFICE) == -1 * H


def test_clock_normalises_to_utc() -> None:
    clock = start_clock(ict(3, 3, 8), 60)
    assert clock.running_since == utc(3, 3, 1)
    assert clock.running_since is not None
    assert clock.running_since.tzinfo is UTC
    due = due_at(clock, OFFICE)
    assert due is not None
    assert due.tzinfo is UTC


# --------------------------------------------------------------------------- validation


NAIVE = datetime(2025, 3, 3, 9)  # noqa: DTZ001 - deliberately naive
AWARE = ict(3, 3, 9)

NAIVE_CALLS = [
    pytest.param(lambda: add_working_time(NAIVE, H, OFFICE), id="add_working_time"),
    pytest.param(lambda: working_seconds_between(NAIVE, AWARE, OFFICE), id="between-start"),
    pytest.param(lambda: working_seconds_between(AWARE, NAIVE, OFFICE), id="between-end"),
    pytest.param(lambda: OFFICE.is_open(NAIVE), id="is_open"),
    pytest.param(lambda: OFFICE.next_open(NAIVE), id="next_open"),
    pytest.param(lambda: ALWAYS.next_open(NAIVE), id="next_open-always-open"),
    pytest.param(lambda: start_clock(NAIVE, H), id="start_clock"),
    pytest.param(lambda: pause_clock(start_clock(AWARE, H), NAIVE, OFFICE), id="pause_clock"),
    pytest.param(lambda: resume_clock(Clock(H), NAIVE), id="resume_clock"),
    pytest.param(lambda: remaining_seconds(start_clock(AWARE, H), NAIVE, OFFICE), id="remaining_seconds"),
    pytest.param(lambda: Clock(H, running_since=NAIVE), id="Clock"),
]


@pytest.mark.parametrize("call", NAIVE_CALLS)
def test_naive_datetimes_are_rejected(call: object) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


BAD_NUMBERS = [
    pytest.param(lambda: add_working_time(AWARE, -1, OFFICE), id="negative-seconds"),
    pytest.param(lambda: add_working_time(AWARE, math.nan, OFFICE), id="nan-seconds"),
    pytest.param(lambda: add_working_time(AWARE, math.inf, ALWAYS), id="infinite-seconds"),
    pytest.param(lambda: start_clock(AWARE, -60), id="negative-target"),
    pytest.param(lambda: due_at(start_clock(AWARE, H), OFFICE, -0.5), id="negative-fraction"),
]


@pytest.mark.parametrize("call", BAD_NUMBERS)
def test_bad_numbers_are_rejected(call: object) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match=">= 0"):
        call()
