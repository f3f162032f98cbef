"""Dates and times by name, per language: day-month-year and 24-hour, the Thai Buddhist year on request."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from kintsugi.lib.dates import buddhist_year, format_moment, with_year
from kintsugi.lib.timeutil import due_phrase

# 21:10 on Sunday 6 December 2026 in Hồ Chí Minh City (UTC+7).
MOMENT = datetime(2026, 12, 6, 14, 10, tzinfo=UTC)
SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")

EXPECTED = [
    ("en", "SHORT_DATETIME_FORMAT", "6 Dec 2026, 21:10"),
    ("en", "SHORT_DATE_FORMAT", "6 Dec 2026"),
    ("en", "DATETIME_FORMAT", "6 December 2026, 21:10"),
    ("en", "DATE_FORMAT", "6 December 2026"),
    ("en", "MONTH_DAY_FORMAT", "6 December"),
    ("en", "YEAR_MONTH_FORMAT", "December 2026"),
    ("en", "TIME_FORMAT", "21:10"),
    ("vi", "SHORT_DATETIME_FORMAT", "06/12/2026 21:10"),
    ("vi", "SHORT_DATE_FORMAT", "06/12/2026"),
    ("vi", "DATETIME_FORMAT", "6 tháng 12 năm 2026, 21:10"),
    ("vi", "DATE_FORMAT", "6 tháng 12 năm 2026"),
    ("vi", "MONTH_DAY_FORMAT", "6 tháng 12"),
    ("vi", "YEAR_MONTH_FORMAT", "tháng 12 năm 2026"),
    ("vi", "TIME_FORMAT", "21:10"),
    ("th", "SHORT_DATETIME_FORMAT", "06/12/2026 21:10"),
    ("th", "SHORT_DATE_FORMAT", "06/12/2026"),
    ("th", "DATETIME_FORMAT", "6 ธันวาคม 2026, 21:10"),
    ("th", "DATE_FORMAT", "6 ธันวาคม 2026"),
    ("th", "MONTH_DAY_FORMAT", "6 ธันวาคม"),
    ("th", "YEAR_MONTH_FORMAT", "ธันวาคม 2026"),
    ("th", "TIME_FORMAT", "21:10"),
]


@pytest.mark.parametrize(("language", "kind", "expected"), EXPECTED)
def test_named_formats_per_language(language: str, kind: str, expected: str) -> None:
    with timezone.override(SAIGON):
        assert format_moment(MOMENT, kind, language=language) == expected
    with timezone.override(SAIGON), translation.override(language):  # the same from the active language
        assert format_moment(MOMENT, kind) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("th", "06/12/2569 21:10"), ("vi", "06/12/2026 21:10"), ("en", "6 Dec 2026, 21:10"),
])
def test_buddhist_year_only_in_thai(language: str, expected: str) -> None:
    with timezone.override(SAIGON), buddhist_year(True):
        assert format_moment(MOMENT, language=language) == expected
    with timezone.override(SAIGON):
        assert format_moment(MOMENT, "DATE_FORMAT", language="th", buddhist=True) == "6 ธันวาคม 2569"
        assert format_moment(MOMENT, "DATE_FORMAT", language="th") == "6 ธันวาคม 2026"  # off by default


def test_time_zone_is_the_active_one() -> None:
    with timezone.override(ZoneInfo("Asia/Bangkok")):  # also UTC+7
        assert format_moment(MOMENT, language="vi") == "06/12/2026 21:10"
    with timezone.override(ZoneInfo("Europe/London")):
        assert format_moment(MOMENT, language="vi") == "06/12/2026 14:10"


def test_dates_and_escapes() -> None:
    assert format_moment(date(2026, 12, 6), "SHORT_DATE_FORMAT", language="th", buddhist=True) == "06/12/2569"
    assert with_year(r"\Y Y y", 2569) == r"\Y \2\5\6\9 \6\9"
    assert format_moment(None) == ""
    with pytest.raises(ValueError, match="unknown date format name 'd/m/Y'"):
        format_moment(MOMENT, "d/m/Y")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "by 21:15 on 6 December"), ("vi", "trước 21:15, ngày 6 tháng 12"),
    ("th", "ภายใน 21:15 น. วันที่ 6 ธันวาคม"),
])
def test_due_phrase_uses_month_day_format(language: str, expected: str) -> None:
    with translation.override(language):
        assert due_phrase(MOMENT, tz=SAIGON, now=MOMENT, absolute=True) == expected
