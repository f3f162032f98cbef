"""The calendars and times the SLA tests share (test_sla_calendar, test_sla_clocks).

Expected instants are worked out by hand and written either in a fixed UTC+7 offset built here
(``ict``; Vietnam and Thailand have no DST) or directly in UTC (``utc``, for Europe/Berlin), so they
never depend on the zoneinfo handling under test. Dates used (2025): Mon 3 Mar .. Sun 9 Mar,
Berlin DST starts Sun 30 Mar and ends Sun 26 Oct.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from kintsugi.cases.sla import WorkingCalendar

H = 3600.0
M = 60.0
ICT = timezone(timedelta(hours=7), "ICT")  # fixed UTC+7, independent of the zoneinfo database


def ict(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    """A 2025 wall-clock time at UTC+7 (Ho Chi Minh City / Bangkok)."""
    return datetime(2025, month, day, hour, minute, second, micro, tzinfo=ICT)


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

OFFICE_CFG: dict[str, list[list[str]]] = {d: [["08:00", "17:00"]] for d in WEEKDAYS}  # 9 h/day
LUNCH_CFG: dict[str, list[list[str]]] = {d: [["08:00", "12:00"], ["13:00", "17:00"]] for d in WEEKDAYS}
SHOP_CFG: dict[str, list[list[str]]] = {d: [["09:00", "18:00"]] for d in (*WEEKDAYS, "sat")}
NIGHT_CFG: dict[str, list[list[str]]] = {d: [["18:00", "02:00"]] for d in ALL_DAYS}
BERLIN_CFG: dict[str, list[list[str]]] = {d: [["09:00", "17:00"]] for d in WEEKDAYS}  # 8 h/day

SINGLE_HOLIDAY = ["2025-09-02"]  # National Day (Tue)
CONSECUTIVE_HOLIDAYS = ["2025-04-30", "2025-05-01"]  # Reunification Day + Labour Day (Wed, Thu)
TET_HOLIDAYS = [f"2025-01-{d}" for d in range(27, 32)]  # Mon 27 .. Fri 31 Jan: with the weekends 25 Jan-2 Feb
NIGHT_HOLIDAY = ["2025-03-05"]  # Wed

OFFICE = WorkingCalendar.from_config("Asia/Ho_Chi_Minh", OFFICE_CFG)
LUNCH = WorkingCalendar.from_config("Asia/Ho_Chi_Minh", LUNCH_CFG)
HOLIDAYS = WorkingCalendar.from_config(
    "Asia/Ho_Chi_Minh", OFFICE_CFG, [*SINGLE_HOLIDAY, *CONSECUTIVE_HOLIDAYS, *TET_HOLIDAYS]
)
SHOP = WorkingCalendar.from_config("Asia/Bangkok", SHOP_CFG)
NIGHT = WorkingCalendar.from_config("Asia/Bangkok", NIGHT_CFG, NIGHT_HOLIDAY)
BERLIN = WorkingCalendar.from_config("Europe/Berlin", BERLIN_CFG)
ALWAYS = WorkingCalendar.from_config("Asia/Bangkok", None, ["2025-03-08"], always_open=True)
OVERLAPPING = WorkingCalendar.from_config(
    "Asia/Ho_Chi_Minh",
    {
        "mon": [["08:00", "17:00"], ["12:00", "20:00"]],
        "sat": [["18:00", "02:00"]],
        "sun": [["00:00", "08:00"]],
    },
)
BERLIN_SUNDAYS = WorkingCalendar.from_config("Europe/Berlin", {"sun": [["00:00", "00:00"]]})
