"""SLA clocks: a target counted in the working time of a location's calendar, paused while the case awaits the
customer.

Pure standard library (no Django), so it can be unit-tested and reused anywhere. The calendar and the working-time
arithmetic under the clocks are the location's (kintsugi.accounts.workhours); this module names them too, so the
SLA's callers read every piece of the arithmetic from one place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from kintsugi.accounts.workhours import (
    DAY_NAMES,
    WorkingCalendar,
    add_working_time,
    check_seconds,
    to_utc,
    working_seconds_between,
)

__all__ = [
    "DAY_NAMES",
    "Clock",
    "WorkingCalendar",
    "add_working_time",
    "due_at",
    "pause_clock",
    "remaining_seconds",
    "resume_clock",
    "start_clock",
    "working_seconds_between",
]


# --------------------------------------------------------------------------- SLA clocks


@dataclass(frozen=True)
class Clock:
    """One SLA target being counted in working seconds.

    ``consumed_seconds`` are the working seconds used by earlier runs; ``running_since`` is the start of
    the current run (normalised to UTC), or ``None`` while paused or stopped.
    """

    target_seconds: float
    consumed_seconds: float = 0.0
    running_since: datetime | None = None

    def __post_init__(self) -> None:
        target = check_seconds(self.target_seconds, "target_seconds")
        consumed = check_seconds(self.consumed_seconds, "consumed_seconds")
        object.__setattr__(self, "target_seconds", target)
        object.__setattr__(self, "consumed_seconds", consumed)
        if self.running_since is not None:
            object.__setattr__(self, "running_since", to_utc(self.running_since, "running_since"))

    @property
    def running(self) -> bool:
        return self.running_since is not None


def start_clock(now: datetime, target_seconds: float) -> Clock:
    """A fresh clock for ``target_seconds`` of working time, running from ``now``."""
    return Clock(target_seconds=target_seconds, running_since=to_utc(now, "now"))


def pause_clock(clock: Clock, now: datetime, cal: WorkingCalendar) -> Clock:
    """Stop counting at ``now``, banking the working time of the current run. No-op when paused."""
    instant = to_utc(now, "now")
    if clock.running_since is None:
        return clock
    used = working_seconds_between(clock.running_since, instant, cal)
    return replace(clock, consumed_seconds=clock.consumed_seconds + used, running_since=None)


def resume_clock(clock: Clock, now: datetime) -> Clock:
    """Start counting again from ``now``. No-op when already running."""
    instant = to_utc(now, "now")
    if clock.running_since is not None:
        return clock
    return replace(clock, running_since=instant)


def due_at(clock: Clock, cal: WorkingCalendar, fraction: float = 1.0) -> datetime | None:
    """When ``fraction`` of the target will have been consumed (UTC); ``None`` while paused.

    ``fraction=1.0`` is the breach moment, ``fraction=0.75`` the warning moment. If that share was
    already used up by earlier runs, the threshold is overdue and the start of the current run is returned.
    """
    share = check_seconds(fraction, "fraction")
    if clock.running_since is None:
        return None
    threshold = clock.target_seconds * share
    if clock.consumed_seconds > 0 and clock.consumed_seconds >= threshold:
        return clock.running_since.astimezone(UTC)
    return add_working_time(clock.running_since, threshold - clock.consumed_seconds, cal)


def remaining_seconds(clock: Clock, now: datetime, cal: WorkingCalendar) -> float:
    """Working seconds left on ``clock`` at ``now``; negative once breached."""
    instant = to_utc(now, "now")
    used = clock.consumed_seconds
    if clock.running_since is not None:
        used += working_seconds_between(clock.running_since, instant, cal)
    return clock.target_seconds - used
