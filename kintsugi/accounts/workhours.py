"""Working hours: when a location is open, and working time counted over it.

Pure standard library (no Django), so it can be unit-tested and reused anywhere. A location's time zone, weekly
hours and holidays (kintsugi.accounts.models.Location) make one :class:`WorkingCalendar`, which Location.clean
validates through and the SLA clocks (kintsugi.cases.sla) count their targets in.

A :class:`WorkingCalendar` describes when a location is open: an IANA time zone, weekly opening
intervals in local wall-clock time, and local holiday dates. Working time is counted in *working*
seconds of that calendar (:func:`add_working_time`, :func:`working_seconds_between`).

Design notes:

* Every instant is handled as an aware UTC ``datetime``; the opening intervals of a local date are
  converted to UTC once (and cached per calendar), so daylight-saving changes are respected: local
  09:00-17:00 stays 09:00-17:00 on the wall clock whatever the UTC offset is that day.
* The arithmetic walks opening intervals day by day, never minute by minute: a 24 h target on a
  weekday calendar touches a handful of intervals.
* Interval overlaps (e.g. an overnight ``18:00-02:00`` followed by ``00:00-08:00``) are counted
  once: the sweeps keep a cursor and never count time before it twice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DAY_NAMES",
    "WorkingCalendar",
    "add_working_time",
    "check_seconds",
    "to_utc",
    "working_seconds_between",
]

#: Config keys for the weekdays, index = ``date.weekday()`` (0 = Monday).
DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Give up looking for the next opening after this many consecutive closed days (~2 years + slack).
_SEARCH_HORIZON_DAYS = 800
# Per-calendar cache of converted day intervals; cleared when it grows beyond this many dates.
_CACHE_MAX_DAYS = 4096
_ONE_DAY = timedelta(days=1)
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")

Interval = tuple[datetime, datetime]
"""An opening interval ``[start, end)`` as aware UTC datetimes."""


# --------------------------------------------------------------------------- helpers


def to_utc(value: datetime, name: str) -> datetime:
    """Return ``value`` in UTC; reject naive datetimes."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def check_seconds(value: float, name: str) -> float:
    """Validate a non-negative, finite number of seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _seconds_to_timedelta(seconds: float, name: str) -> timedelta:
    seconds = check_seconds(seconds, name)
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"{name} is too large: {seconds!r}") from None


def _load_zone(tz_name: str) -> ZoneInfo:
    if not isinstance(tz_name, str) or not tz_name.strip():
        raise ValueError(
            f"time zone must be a non-empty IANA name such as 'Asia/Ho_Chi_Minh', got {tz_name!r}",
        )
    try:
        return ZoneInfo(tz_name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"unknown time zone {tz_name!r}; expected an IANA name such as 'Asia/Bangkok'",
        ) from None


def _parse_hhmm(value: object, where: str, *, allow_24: bool) -> time:
    """Parse ``"HH:MM"`` (``"24:00"`` allowed as an end, meaning midnight at the end of the day)."""
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a time string 'HH:MM', got {value!r}")
    match = _HHMM.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{where}: bad time {value!r}; expected 'HH:MM' (24-hour clock)")
    hour, minute = int(match.group(1)), int(match.group(2))
    if allow_24 and hour == 24 and minute == 0:
        return time(0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{where}: bad time {value!r}; hours must be 00-23 and minutes 00-59")
    return time(hour, minute)


def _parse_holiday(value: str | date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"bad holiday {value!r}; expected an ISO date 'YYYY-MM-DD'") from None
    raise ValueError(f"bad holiday {value!r}; expected an ISO date string or a date")


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class WorkingCalendar:
    """When a location is open.

    ``weekly`` maps a weekday (0 = Monday .. 6 = Sunday) to local opening intervals. An interval whose
    end is at or before its start runs overnight into the next day (``(time(18), time(2))``), so
    ``(time(0), time(0))`` is the whole 24 h day. An interval belongs to the date it *starts* on: it is
    closed when that date is in ``holidays``. ``always_open`` means 24/7 (weekly and holidays ignored).
    """

    tz: ZoneInfo
    weekly: Mapping[int, Sequence[tuple[time, time]]]
    holidays: frozenset[date] = frozenset()
    always_open: bool = False
    _day_cache: dict[date, tuple[Interval, ...]] = field(
        default_factory=dict,
        init=False,
        repr=False,
        compare=False,
    )

    def __post_init__(self) -> None:
        if not isinstance(self.tz, tzinfo):
            raise TypeError(f"tz must be a ZoneInfo, got {type(self.tz).__name__}")
        normalized: dict[int, tuple[tuple[time, time], ...]] = {}
        for day, spans in self.weekly.items():
            if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
                raise ValueError(f"weekly keys must be weekdays 0 (Monday) .. 6 (Sunday), got {day!r}")
            checked: list[tuple[time, time]] = []
            for span in spans:
                if len(span) != 2:
                    raise ValueError(
                        f"weekday {day}: each interval must be a (start, end) pair, got {span!r}",
                    )
                start, end = span
                for moment in (start, end):
                    if not isinstance(moment, time) or moment.tzinfo is not None:
                        raise ValueError(
                            f"weekday {day}: interval bounds must be naive times, got {moment!r}",
                        )
                checked.append((start, end))
            if checked:
                normalized[day] = tuple(checked)
        object.__setattr__(self, "weekly", normalized)
        object.__setattr__(self, "holidays", frozenset(_parse_holiday(d) for d in self.holidays))
        object.__setattr__(self, "always_open", bool(self.always_open))

    def __hash__(self) -> int:
        return hash((self.tz, tuple(sorted(self.weekly.items())), self.holidays, self.always_open))

    @classmethod
    def from_config(
        cls,
        tz_name: str,
        weekly: Mapping[str, Sequence[Sequence[str]]] | None,
        holidays: Iterable[str | date] = (),
        always_open: bool = False,
    ) -> WorkingCalendar:
        """Build a calendar from its JSON form.

        ``weekly`` looks like ``{"mon": [["08:00", "17:00"]], "sat": [["18:00", "02:00"]]}``; a missing
        day is closed; ``"24:00"`` is accepted as an end time. ``holidays`` are ISO dates or ``date``s.
        Raises ``ValueError`` with a readable message on any bad input.
        """
        tz = _load_zone(tz_name)
        parsed: dict[int, list[tuple[time, time]]] = {}
        if weekly is not None:
            if not isinstance(weekly, Mapping):
                raise ValueError(f"weekly hours must be a mapping of day -> intervals, got {weekly!r}")
            for key, spans in weekly.items():
                name = key.strip().lower() if isinstance(key, str) else None
                if name not in DAY_NAMES:
                    raise ValueError(f"unknown day {key!r}; expected one of {', '.join(DAY_NAMES)}")
                index = DAY_NAMES.index(name)
                if index in parsed:
                    raise ValueError(f"day {name!r} is given more than once")
                if isinstance(spans, str | bytes) or not isinstance(spans, Sequence):
                    raise ValueError(f"{name}: expected a list of [start, end] pairs, got {spans!r}")
                day_spans: list[tuple[time, time]] = []
                for span in spans:
                    if isinstance(span, str | bytes) or not isinstance(span, Sequence) or len(span) != 2:
                        raise ValueError(
                            f"{name}: each interval must be a ['HH:MM', 'HH:MM'] pair, got {span!r}",
                        )
                    start = _parse_hhmm(span[0], f"{name} start", allow_24=False)
                    end = _parse_hhmm(span[1], f"{name} end", allow_24=True)
                    day_spans.append((start, end))
                parsed[index] = day_spans
        if isinstance(holidays, str | bytes):
            raise ValueError(f"holidays must be a list of ISO dates, got the single string {holidays!r}")
        days = frozenset(_parse_holiday(value) for value in holidays)
        return cls(tz=tz, weekly=parsed, holidays=days, always_open=bool(always_open))

    # ---- interval generation

    def day_intervals(self, day: date) -> tuple[Interval, ...]:
        """Opening intervals (UTC, sorted) that start on the local date ``day``; ``()`` on holidays."""
        cached = self._day_cache.get(day)
        if cached is not None:
            return cached
        result: tuple[Interval, ...] = ()
        spans = self.weekly.get(day.weekday())
        if spans and day not in self.holidays:
            next_day = day + _ONE_DAY
            built: list[Interval] = []
            for start, end in spans:
                begin = datetime.combine(day, start, tzinfo=self.tz).astimezone(UTC)
                end_day = next_day if end <= start else day
                finish = datetime.combine(end_day, end, tzinfo=self.tz).astimezone(UTC)
                if finish > begin:  # an interval can vanish inside a spring-forward gap
                    built.append((begin, finish))
            built.sort()
            result = tuple(built)
        if len(self._day_cache) >= _CACHE_MAX_DAYS:
            self._day_cache.clear()
        self._day_cache[day] = result
        return result

    def _first_day(self, moment_utc: datetime) -> date:
        """The earliest local date whose intervals can still cover ``moment_utc`` (overnight spans)."""
        return moment_utc.astimezone(self.tz).date() - _ONE_DAY

    def _iter_intervals(self, first_day: date, last_day: date | None = None) -> Iterator[Interval]:
        """Intervals in start order from ``first_day`` (to ``last_day`` inclusive, if given).

        Without ``last_day`` it raises ``ValueError`` after ~2 years of consecutive closed days.
        """
        day = first_day
        closed_run = 0
        while last_day is None or day <= last_day:
            spans = self.day_intervals(day)
            if spans:
                closed_run = 0
                yield from spans
            elif last_day is None:
                closed_run += 1
                if closed_run > _SEARCH_HORIZON_DAYS:
                    raise ValueError(
                        f"working calendar has no open time between {first_day.isoformat()} and "
                        f"{day.isoformat()}; check its weekly hours and holidays"
                    )
            if day == date.max:
                raise ValueError("working calendar search ran past the year 9999")
            day += _ONE_DAY

    # ---- queries

    def is_open(self, moment: datetime) -> bool:
        """Whether the location is open at ``moment`` (intervals are half-open: ``[start, end)``)."""
        instant = to_utc(moment, "moment")
        if self.always_open:
            return True
        local_day = instant.astimezone(self.tz).date()
        for offset in (-1, 0, 1):
            for begin, finish in self.day_intervals(local_day + timedelta(days=offset)):
                if begin <= instant < finish:
                    return True
        return False

    def next_open(self, moment: datetime) -> datetime:
        """The first open instant at or after ``moment`` (``moment`` itself, in UTC, when open)."""
        instant = to_utc(moment, "moment")
        if self.always_open:
            return instant
        for begin, finish in self._iter_intervals(self._first_day(instant)):
            if finish > instant:
                return max(begin, instant)
        raise AssertionError("unreachable: interval search ends by raising")  # pragma: no cover

    def open_until(self, moment: datetime) -> datetime | None:
        """The end of the opening interval that contains ``moment``; None when closed at ``moment``."""
        instant = to_utc(moment, "moment")
        if self.always_open:
            return instant + timedelta(days=366)
        if not self.is_open(instant):
            return None
        for begin, finish in self._iter_intervals(self._first_day(instant)):
            if begin <= instant < finish:
                return finish
        return None  # pragma: no cover - is_open said it is open


# --------------------------------------------------------------------------- working-time arithmetic


def add_working_time(start: datetime, seconds: float, cal: WorkingCalendar) -> datetime:
    """The UTC instant at which ``seconds`` of working time after ``start`` have elapsed.

    Counting begins at ``cal.next_open(start)``; ``seconds == 0`` returns exactly that. A target that
    runs out exactly at a closing time returns the closing time. Raises ``ValueError`` for negative or
    non-finite ``seconds``, naive ``start``, or a calendar with no open time within ~2 years.
    """
    instant = to_utc(start, "start")
    remaining = _seconds_to_timedelta(seconds, "seconds")
    if cal.always_open:
        return instant + remaining
    cursor = instant
    for begin, finish in cal._iter_intervals(cal._first_day(instant)):
        begin = max(begin, cursor)
        if finish <= begin:
            continue
        available = finish - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
        cursor = finish
    raise AssertionError("unreachable: interval search ends by raising")  # pragma: no cover


def working_seconds_between(start: datetime, end: datetime, cal: WorkingCalendar) -> float:
    """Working seconds in ``[start, end)``; ``0.0`` if ``end <= start``."""
    lower = to_utc(start, "start")
    upper = to_utc(end, "end")
    if upper <= lower:
        return 0.0
    if cal.always_open:
        return (upper - lower).total_seconds()
    last_day = upper.astimezone(cal.tz).date() + _ONE_DAY
    total = timedelta(0)
    cursor = lower
    for begin, finish in cal._iter_intervals(cal._first_day(lower), last_day):
        if begin >= upper:
            break
        begin = max(begin, cursor)
        finish = min(finish, upper)
        if finish > begin:
            total += finish - begin
            cursor = finish
    return total.total_seconds()
