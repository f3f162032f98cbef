"""Table-driven tests for the working-time arithmetic under the SLA (``kintsugi.cases.sla``, over
``kintsugi.accounts.workhours``): adding and counting working time, opening hours, calendars from their config.

The calendars and the hand-worked instants are shared with test_sla_clocks (sla_calendars.py).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kintsugi.cases.sla import (
    WorkingCalendar,
    add_working_time,
    working_seconds_between,
)
from kintsugi.cases.tests.sla_calendars import (
    ALL_DAYS,
    ALWAYS,
    BERLIN,
    BERLIN_CFG,
    BERLIN_SUNDAYS,
    HOLIDAYS,
    LUNCH,
    LUNCH_CFG,
    NIGHT,
    NIGHT_CFG,
    OFFICE,
    OFFICE_CFG,
    OVERLAPPING,
    SHOP,
    TET_HOLIDAYS,
    H,
    M,
    ict,
    utc,
)

# --------------------------------------------------------------------------- add_working_time

ADD_CASES = [
    # weekday hours, Ho Chi Minh City, Mon-Fri 08:00-17:00
    pytest.param(OFFICE, ict(3, 3, 9), 4 * H, ict(3, 3, 13), id="office-within-hours"),
    pytest.param(OFFICE, ict(3, 3, 15), 4 * H, ict(3, 4, 10), id="office-spills-into-next-day"),
    pytest.param(OFFICE, ict(3, 3, 6, 30), 1 * H, ict(3, 3, 9), id="office-opened-before-opening"),
    pytest.param(OFFICE, ict(3, 3, 19), 1 * H, ict(3, 4, 9), id="office-opened-after-closing"),
    pytest.param(OFFICE, ict(3, 8, 10), 1 * H, ict(3, 10, 9), id="office-opened-saturday-closed-weekend"),
    pytest.param(OFFICE, utc(3, 2, 23, 30), 1 * H, ict(3, 3, 9), id="office-utc-sunday-is-local-monday"),
    pytest.param(OFFICE, ict(3, 7, 16), 3 * H, ict(3, 10, 10), id="office-friday-over-weekend"),
    pytest.param(OFFICE, ict(3, 3, 16), 1 * H, ict(3, 3, 17), id="office-ends-exactly-at-close"),
    pytest.param(OFFICE, ict(3, 3, 17), 1 * H, ict(3, 4, 9), id="office-starts-exactly-at-close"),
    pytest.param(OFFICE, ict(3, 3, 8), 24 * H, ict(3, 5, 14), id="office-24h-target"),
    pytest.param(OFFICE, ict(3, 3, 12), 40 * H, ict(3, 7, 16), id="office-40h-several-days"),
    pytest.param(OFFICE, ict(3, 5, 10), 45 * H, ict(3, 12, 10), id="office-one-working-week-over-weekend"),
    pytest.param(OFFICE, ict(3, 3, 8), 90.5, ict(3, 3, 8, 1, 30, 500_000), id="office-fractional-seconds"),
    # zero target = next opening
    pytest.param(OFFICE, ict(3, 3, 10), 0.0, ict(3, 3, 10), id="zero-while-open"),
    pytest.param(OFFICE, ict(3, 3, 19), 0.0, ict(3, 4, 8), id="zero-evening"),
    pytest.param(OFFICE, ict(3, 3, 17), 0.0, ict(3, 4, 8), id="zero-at-closing-time"),
    pytest.param(OFFICE, ict(3, 8, 10), 0.0, ict(3, 10, 8), id="zero-saturday"),
    # lunch break: 08:00-12:00 + 13:00-17:00
    pytest.param(LUNCH, ict(3, 3, 11), 2 * H, ict(3, 3, 14), id="lunch-morning-into-afternoon"),
    pytest.param(LUNCH, ict(3, 3, 12, 15), 30 * M, ict(3, 3, 13, 30), id="lunch-opened-during-lunch"),
    pytest.param(LUNCH, ict(3, 3, 10), 2 * H, ict(3, 3, 12), id="lunch-ends-exactly-at-lunch"),
    pytest.param(LUNCH, ict(3, 3, 16), 3 * H, ict(3, 4, 10), id="lunch-afternoon-into-next-day"),
    pytest.param(LUNCH, ict(3, 3, 8), 8 * H, ict(3, 3, 17), id="lunch-full-day"),
    pytest.param(LUNCH, ict(3, 3, 8), 8 * H + 1, ict(3, 4, 8, 0, 1), id="lunch-full-day-plus-one-second"),
    # holidays
    pytest.param(HOLIDAYS, ict(9, 1, 16), 2 * H, ict(9, 3, 9), id="holiday-single-skipped"),
    pytest.param(HOLIDAYS, ict(9, 2, 10), 1 * H, ict(9, 3, 9), id="holiday-opened-on-holiday"),
    pytest.param(HOLIDAYS, ict(4, 29, 16), 3 * H, ict(5, 2, 10), id="holiday-two-consecutive"),
    pytest.param(HOLIDAYS, ict(1, 24, 15), 4 * H, ict(2, 3, 10), id="holiday-tet-opened-before"),
    pytest.param(HOLIDAYS, ict(1, 29, 10), 1 * H, ict(2, 3, 9), id="holiday-tet-opened-during"),
    pytest.param(HOLIDAYS, ict(1, 29, 10), 0.0, ict(2, 3, 8), id="holiday-tet-zero-target"),
    pytest.param(HOLIDAYS, ict(3, 3, 9), 4 * H, ict(3, 3, 13), id="holiday-calendar-ordinary-day"),
    # overnight 18:00-02:00 every day, Bangkok, Wed 5 Mar is a holiday
    pytest.param(NIGHT, ict(3, 3, 19), 2 * H, ict(3, 3, 21), id="overnight-evening"),
    pytest.param(NIGHT, ict(3, 3, 23), 2 * H, ict(3, 4, 1), id="overnight-past-midnight"),
    pytest.param(NIGHT, ict(3, 3, 23), 4 * H, ict(3, 4, 19), id="overnight-into-next-night"),
    pytest.param(NIGHT, ict(3, 3, 1), 2 * H, ict(3, 3, 19), id="overnight-opened-in-previous-nights-tail"),
    pytest.param(NIGHT, ict(3, 3, 10), 1 * H, ict(3, 3, 19), id="overnight-opened-daytime"),
    pytest.param(NIGHT, ict(3, 4, 23), 2 * H, ict(3, 5, 1), id="overnight-tail-on-holiday-date-is-open"),
    pytest.param(NIGHT, ict(3, 4, 23), 4 * H, ict(3, 6, 19), id="overnight-holiday-night-skipped"),
    pytest.param(NIGHT, ict(3, 5, 1), 30 * M, ict(3, 5, 1, 30), id="overnight-opened-holiday-early-morning"),
    pytest.param(NIGHT, ict(3, 5, 20), 1 * H, ict(3, 6, 19), id="overnight-opened-holiday-evening"),
    pytest.param(NIGHT, ict(3, 6, 1), 1 * H, ict(3, 6, 19), id="overnight-tail-of-holiday-night-closed"),
    # Bangkok shop, Mon-Sat 09:00-18:00
    pytest.param(SHOP, ict(3, 3, 9), 9 * H, ict(3, 3, 18), id="bangkok-full-day"),
    pytest.param(SHOP, ict(3, 8, 17), 2 * H, ict(3, 10, 10), id="bangkok-saturday-open-sunday-closed"),
    # 24/7 (weekly and holidays ignored)
    pytest.param(ALWAYS, ict(3, 8, 23), 5 * H, ict(3, 9, 4), id="always-open-saturday-night"),
    pytest.param(ALWAYS, ict(3, 9, 3), 0.0, ict(3, 9, 3), id="always-open-zero"),
    pytest.param(ALWAYS, ict(3, 3), 50 * H, ict(3, 5, 2), id="always-open-multi-day"),
    # Europe/Berlin, Mon-Fri 09:00-17:00 local, across DST changes (expected in UTC)
    pytest.param(BERLIN, utc(3, 28, 15), 2 * H, utc(3, 31, 8), id="berlin-spring-forward-weekend"),
    pytest.param(BERLIN, utc(10, 24, 14), 2 * H, utc(10, 27, 9), id="berlin-fall-back-weekend"),
    pytest.param(BERLIN, utc(3, 31, 6, 30), 1 * H, utc(3, 31, 8), id="berlin-before-opening-in-summer-time"),
    pytest.param(BERLIN, utc(3, 26, 8), 40 * H, utc(4, 1, 15), id="berlin-working-week-across-change"),
]


@pytest.mark.parametrize(("cal", "start", "seconds", "expected"), ADD_CASES)
def test_add_working_time(cal: WorkingCalendar, start: datetime, seconds: float, expected: datetime) -> None:
    result = add_working_time(start, seconds, cal)
    assert result == expected
    assert result.tzinfo is UTC


def test_same_local_hours_in_ho_chi_minh_and_bangkok_give_same_instants() -> None:
    bangkok = WorkingCalendar.from_config("Asia/Bangkok", OFFICE_CFG)
    for start in (ict(3, 3, 15), ict(3, 7, 16), ict(3, 8, 10)):
        assert add_working_time(start, 4 * H, OFFICE) == add_working_time(start, 4 * H, bangkok)
    assert add_working_time(ict(3, 7, 16), 3 * H, bangkok) == utc(3, 10, 3)  # Mon 10:00 at UTC+7


# --------------------------------------------------------------------------- working_seconds_between

BETWEEN_CASES = [
    pytest.param(OFFICE, ict(3, 3, 8), ict(3, 7, 17), 45 * H, id="office-full-week"),
    pytest.param(OFFICE, ict(3, 7, 16), ict(3, 10, 10), 3 * H, id="office-over-weekend"),
    pytest.param(OFFICE, ict(3, 8), ict(3, 10), 0.0, id="office-weekend-only"),
    pytest.param(OFFICE, ict(3, 3, 12), ict(3, 3, 9), 0.0, id="end-before-start"),
    pytest.param(OFFICE, ict(3, 3, 12), ict(3, 3, 12), 0.0, id="end-equals-start"),
    pytest.param(LUNCH, ict(3, 3, 11), ict(3, 3, 14), 2 * H, id="lunch-excluded"),
    pytest.param(HOLIDAYS, ict(1, 24), ict(2, 3), 9 * H, id="tet-only-friday-before"),
    pytest.param(HOLIDAYS, ict(4, 28), ict(5, 3), 27 * H, id="consecutive-holidays-week"),
    pytest.param(NIGHT, ict(3, 4), ict(3, 7), 16 * H, id="overnight-with-holiday"),
    pytest.param(OVERLAPPING, ict(3, 3), ict(3, 4), 12 * H, id="overlapping-intervals-counted-once"),
    pytest.param(OVERLAPPING, ict(3, 8, 12), ict(3, 9, 12), 14 * H, id="overnight-overlapping-next-morning"),
    pytest.param(BERLIN_SUNDAYS, utc(3, 29, 12), utc(3, 31, 12), 23 * H, id="berlin-whole-day-23h-spring"),
    pytest.param(BERLIN_SUNDAYS, utc(10, 25, 12), utc(10, 27, 12), 25 * H, id="berlin-whole-day-25h-autumn"),
    pytest.param(BERLIN, utc(3, 24), utc(4, 5), 80 * H, id="berlin-two-weeks-across-change"),
    pytest.param(ALWAYS, ict(3, 3), ict(3, 5, 2), 50 * H, id="always-open"),
]


@pytest.mark.parametrize(("cal", "start", "end", "expected"), BETWEEN_CASES)
def test_working_seconds_between(
    cal: WorkingCalendar,
    start: datetime,
    end: datetime,
    expected: float,
) -> None:
    assert working_seconds_between(start, end, cal) == expected


PROPERTY_CALENDARS = [
    pytest.param(OFFICE, id="office"),
    pytest.param(LUNCH, id="lunch"),
    pytest.param(HOLIDAYS, id="holidays"),
    pytest.param(NIGHT, id="overnight"),
    pytest.param(SHOP, id="bangkok"),
    pytest.param(BERLIN, id="berlin-dst"),
    pytest.param(OVERLAPPING, id="overlapping"),
    pytest.param(ALWAYS, id="always-open"),
]
PROPERTY_TARGETS = [0.0, 1.0, 59.0, 1234.5, H, 1.5 * H, 8 * H, 9 * H, 24 * H, 50 * H, 0.000_001]


@pytest.mark.parametrize("cal", PROPERTY_CALENDARS)
def test_working_seconds_between_inverts_add_working_time(cal: WorkingCalendar) -> None:
    # Starts every 7 h 13 min for four weeks around Berlin's DST change and Vietnam's holidays.
    for base in (utc(1, 20), utc(3, 24), utc(4, 26), utc(10, 20)):
        for step in range(0, 4 * 7 * 24 * 60, 7 * 60 + 13):
            start = base + timedelta(minutes=step)
            for target in PROPERTY_TARGETS:
                due = add_working_time(start, target, cal)
                assert due >= start
                assert working_seconds_between(start, due, cal) == target, (start, target, due)
                if target == 0:
                    assert due == cal.next_open(start)
                else:  # minimal: one microsecond earlier the target is not yet reached
                    assert working_seconds_between(start, due - timedelta(microseconds=1), cal) < target


# --------------------------------------------------------------------------- independent brute-force oracle


def _oracle_is_open(
    tz_name: str, cfg: Mapping[str, Sequence[Sequence[str]]], holidays: Sequence[str], instant: datetime
) -> bool:
    """Open at ``instant``? Decided on naive local wall-clock times, not via UTC intervals."""
    wall = instant.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)
    for day in (wall.date() - timedelta(days=1), wall.date()):
        if day.isoformat() in holidays:
            continue
        for start_s, end_s in cfg.get(ALL_DAYS[day.weekday()], []):
            start = datetime.combine(day, time.fromisoformat(start_s))
            end = datetime.combine(day, time.fromisoformat(end_s))
            if end <= start:
                end += timedelta(days=1)
            if start <= wall < end:
                return True
    return False


def _oracle_add_minutes(
    tz_name: str,
    cfg: Mapping[str, Sequence[Sequence[str]]],
    holidays: Sequence[str],
    start: datetime,
    minutes: int,
) -> datetime:
    """Walk minute by minute (starts are whole minutes) until ``minutes`` open minutes have passed."""
    moment, counted = start, 0
    while True:
        if counted == minutes and (minutes > 0 or _oracle_is_open(tz_name, cfg, holidays, moment)):
            return moment
        if _oracle_is_open(tz_name, cfg, holidays, moment):
            counted += 1
        moment += timedelta(minutes=1)


ORACLE_SETUPS = [
    pytest.param("Asia/Ho_Chi_Minh", OFFICE_CFG, [], id="office"),
    pytest.param("Asia/Ho_Chi_Minh", LUNCH_CFG, [], id="lunch"),
    pytest.param("Asia/Ho_Chi_Minh", OFFICE_CFG, TET_HOLIDAYS, id="tet"),
    pytest.param("Asia/Bangkok", NIGHT_CFG, ["2025-01-28", "2025-01-29"], id="overnight-holidays"),
    pytest.param("Europe/Berlin", BERLIN_CFG, [], id="berlin"),
]


@pytest.mark.parametrize(("tz_name", "cfg", "holidays"), ORACLE_SETUPS)
def test_add_working_time_matches_minute_by_minute_oracle(
    tz_name: str, cfg: dict[str, list[list[str]]], holidays: list[str]
) -> None:
    cal = WorkingCalendar.from_config(tz_name, cfg, holidays)
    rng = random.Random(f"sla-{tz_name}-{len(holidays)}")
    base = utc(1, 22) if tz_name.startswith("Asia") else utc(3, 26)  # around Tết / Berlin's DST change
    for _ in range(8):
        start = base + timedelta(minutes=rng.randrange(0, 6 * 24 * 60))
        minutes = rng.choice([0, 1, rng.randrange(2, 600), rng.randrange(600, 1500)])
        expected = _oracle_add_minutes(tz_name, cfg, holidays, start, minutes)
        assert add_working_time(start, minutes * M, cal) == expected, (start, minutes)
        probe = start + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
        assert cal.is_open(probe) == _oracle_is_open(tz_name, cfg, holidays, probe), probe


# --------------------------------------------------------------------------- is_open / next_open

IS_OPEN_CASES = [
    pytest.param(OFFICE, ict(3, 3, 8), True, id="office-at-opening"),
    pytest.param(OFFICE, ict(3, 3, 7, 59), False, id="office-minute-before-opening"),
    pytest.param(OFFICE, ict(3, 3, 16, 59), True, id="office-minute-before-closing"),
    pytest.param(OFFICE, ict(3, 3, 17), False, id="office-at-closing-excluded"),
    pytest.param(OFFICE, ict(3, 8, 10), False, id="office-saturday"),
    pytest.param(LUNCH, ict(3, 3, 12, 30), False, id="lunch-break"),
    pytest.param(HOLIDAYS, ict(1, 29, 10), False, id="tet-holiday"),
    pytest.param(NIGHT, ict(3, 5, 1), True, id="overnight-tail-on-holiday-date"),
    pytest.param(NIGHT, ict(3, 5, 19), False, id="overnight-holiday-evening"),
    pytest.param(NIGHT, ict(3, 6, 1), False, id="overnight-tail-of-holiday-night"),
    pytest.param(NIGHT, ict(3, 6, 18), True, id="overnight-after-holiday"),
    pytest.param(NIGHT, ict(3, 7, 2), False, id="overnight-at-0200-excluded"),
    pytest.param(BERLIN, utc(3, 31, 7), True, id="berlin-0900-cest"),
    pytest.param(BERLIN, utc(3, 31, 6, 59), False, id="berlin-0859-cest"),
    pytest.param(BERLIN, utc(3, 28, 8), True, id="berlin-0900-cet"),
    pytest.param(BERLIN, utc(3, 28, 7, 59), False, id="berlin-0859-cet"),
    pytest.param(ALWAYS, ict(3, 8, 3), True, id="always-open-holiday-night"),
]


@pytest.mark.parametrize(("cal", "moment", "expected"), IS_OPEN_CASES)
def test_is_open(cal: WorkingCalendar, moment: datetime, expected: bool) -> None:
    assert cal.is_open(moment) is expected


NEXT_OPEN_CASES = [
    pytest.param(OFFICE, ict(3, 3, 10), ict(3, 3, 10), id="office-already-open"),
    pytest.param(OFFICE, ict(3, 3, 19), ict(3, 4, 8), id="office-evening"),
    pytest.param(OFFICE, ict(3, 8, 10), ict(3, 10, 8), id="office-weekend"),
    pytest.param(LUNCH, ict(3, 3, 12), ict(3, 3, 13), id="lunch-break"),
    pytest.param(HOLIDAYS, ict(1, 25, 9), ict(2, 3, 8), id="tet"),
    pytest.param(NIGHT, ict(3, 5, 3), ict(3, 6, 18), id="overnight-skips-holiday"),
    pytest.param(BERLIN, utc(3, 29, 12), utc(3, 31, 7), id="berlin-after-spring-forward"),
    pytest.param(BERLIN, utc(10, 25, 12), utc(10, 27, 8), id="berlin-after-fall-back"),
    pytest.param(ALWAYS, ict(3, 8, 3), ict(3, 8, 3), id="always-open"),
]


@pytest.mark.parametrize(("cal", "moment", "expected"), NEXT_OPEN_CASES)
def test_next_open(cal: WorkingCalendar, moment: datetime, expected: datetime) -> None:
    result = cal.next_open(moment)
    assert result == expected
    assert result.tzinfo is UTC


OPEN_UNTIL_CASES = [
    pytest.param(OFFICE, ict(3, 3, 10), ict(3, 3, 17), id="office-until-closing"),
    pytest.param(OFFICE, ict(3, 3, 19), None, id="office-closed-evening"),
    pytest.param(LUNCH, ict(3, 3, 11), ict(3, 3, 12), id="lunch-until-the-break"),
    pytest.param(LUNCH, ict(3, 3, 12, 30), None, id="lunch-break-closed"),
    pytest.param(NIGHT, ict(3, 7, 1), ict(3, 7, 2), id="overnight-until-0200"),
    pytest.param(HOLIDAYS, ict(1, 28, 10), None, id="tet-closed"),
]


@pytest.mark.parametrize(("cal", "moment", "expected"), OPEN_UNTIL_CASES)
def test_open_until(cal: WorkingCalendar, moment: datetime, expected: datetime | None) -> None:
    assert cal.open_until(moment) == expected


def test_always_open_counts_for_a_year_ahead() -> None:
    assert ALWAYS.open_until(ict(3, 8, 3)) == ict(3, 8, 3) + timedelta(days=366)


# --------------------------------------------------------------------------- from_config and calendars never open


def test_from_config_builds_the_expected_calendar() -> None:
    parsed = WorkingCalendar.from_config(
        "Asia/Ho_Chi_Minh",
        {"mon": [["8:00", "17:00"]], "Sat": [["18:00", "02:00"]], "sun": [["20:00", "24:00"]]},
        ["2025-01-01", date(2025, 4, 30)],
    )
    direct = WorkingCalendar(
        tz=ZoneInfo("Asia/Ho_Chi_Minh"),
        weekly={0: [(time(8), time(17))], 5: [(time(18), time(2))], 6: [(time(20), time(0))]},
        holidays=frozenset({date(2025, 1, 1), date(2025, 4, 30)}),
    )
    assert parsed == direct
    assert hash(parsed) == hash(direct)
    assert not parsed.always_open
    assert working_seconds_between(ict(3, 9), ict(3, 10), parsed) == 6 * H  # Sat tail 00-02 + Sun 20-24


FROM_CONFIG_ERRORS = [
    pytest.param("Asia/Ho_Chi_Minh", {"funday": [["08:00", "17:00"]]}, [], "unknown day", id="unknown-day"),
    pytest.param("Asia/Ho_Chi_Minh", {"monday": [["08:00", "17:00"]]}, [], "unknown day", id="long-day-name"),
    pytest.param(
        "Asia/Ho_Chi_Minh", {"mon": [["08:00", "17:00"]], "MON": []}, [], "more than once", id="duplicate-day"
    ),
    pytest.param("Asia/Ho_Chi_Minh", {"mon": [["25:00", "26:00"]]}, [], "bad time", id="hour-25"),
    pytest.param("Asia/Ho_Chi_Minh", {"mon": [["08:60", "17:00"]]}, [], "bad time", id="minute-60"),
    pytest.param("Asia/Ho_Chi_Minh", {"mon": [["8am", "5pm"]]}, [], "bad time", id="am-pm"),
    pytest.param("Asia/Ho_Chi_Minh", {"mon": [["24:00", "08:00"]]}, [], "bad time", id="24h-as-start"),
    pytest.param("Asia/Ho_Chi_Minh", {"mon": [["08:00"]]}, [], "pair", id="interval-one-bound"),
    pytest.param("Asia/Ho_Chi_Minh", {"mon": ["08:00-17:00"]}, [], "pair", id="interval-as-string"),
    pytest.param("Asia/Ho_Chi_Minh", {"mon": "08:00-17:00"}, [], "list", id="day-as-string"),
    pytest.param("Mars/Olympus", {"mon": [["08:00", "17:00"]]}, [], "unknown time zone", id="unknown-tz"),
    pytest.param("", {"mon": [["08:00", "17:00"]]}, [], "time zone", id="empty-tz"),
    pytest.param("Asia/Bangkok", {"mon": [["08:00", "17:00"]]}, ["2025-13-01"], "bad holiday", id="month-13"),
    pytest.param("Asia/Bangkok", {"mon": [["08:00", "17:00"]]}, "2025-01-01", "holidays", id="holiday-str"),
]


@pytest.mark.parametrize(("tz_name", "weekly", "holidays", "message"), FROM_CONFIG_ERRORS)
def test_from_config_rejects_bad_input(tz_name: str, weekly: object, holidays: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WorkingCalendar.from_config(tz_name, weekly, holidays)  # type: ignore[arg-type]


MONDAYS_2025_TO_2027 = [date(2024, 12, 30) + timedelta(weeks=w) for w in range(3 * 53)]

NEVER_OPEN = [
    pytest.param(WorkingCalendar.from_config("Asia/Bangkok", None), id="no-weekly-hours"),
    pytest.param(WorkingCalendar.from_config("Asia/Bangkok", {}), id="empty-weekly-hours"),
    pytest.param(
        WorkingCalendar.from_config("Asia/Bangkok", {"mon": [["08:00", "17:00"]]}, MONDAYS_2025_TO_2027),
        id="every-open-day-a-holiday-for-3-years",
    ),
]


@pytest.mark.parametrize("cal", NEVER_OPEN)
def test_calendar_without_open_time_raises_instead_of_looping(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="no open time"):
        add_working_time(ict(1, 1), H, cal)
    with pytest.raises(ValueError, match="no open time"):
        cal.next_open(ict(1, 1))
    assert not cal.is_open(ict(3, 3, 9))
    assert working_seconds_between(ict(1, 1), ict(12, 31), cal) == 0.0


# --------------------------------------------------------------------------- efficiency


def test_24h_target_touches_only_a_few_days(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[date] = []
    original = WorkingCalendar.day_intervals

    def counting(self: WorkingCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
        calls.append(day)
        return original(self, day)

    monkeypatch.setattr(WorkingCalendar, "day_intervals", counting)
    cal = WorkingCalendar.from_config("Asia/Ho_Chi_Minh", OFFICE_CFG)
    assert add_working_time(ict(3, 3, 8), 24 * H, cal) == ict(3, 5, 14)
    assert len(calls) <= 5  # Sun (overnight look-back), Mon, Tue, Wed
