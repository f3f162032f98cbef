"""relative(): the inbox's “in 3 hours” / “2 days ago”, the same words as Django's timesince/timeuntil."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from kintsugi.cases.templatetags.kintsugi_ui import relative

NOW = datetime(2026, 11, 23, 10, 0, 0, 500_000, tzinfo=UTC)
SPANS = [
    timedelta(0), timedelta(seconds=30), timedelta(seconds=59, microseconds=999_999), timedelta(minutes=1),
    timedelta(minutes=59, seconds=59), timedelta(hours=1), timedelta(hours=23, minutes=59), timedelta(days=1),
    timedelta(days=6, hours=23), timedelta(days=7), timedelta(days=13), timedelta(days=27, hours=23, minutes=59),
    timedelta(days=28), timedelta(days=40), timedelta(days=364), timedelta(days=365), timedelta(days=400),
    timedelta(days=800),
]
# Calendar months: from 31 January a month has not passed on 28 February, but has on 1 March.
MONTH_ENDS = [
    (datetime(2026, 1, 31, 9, tzinfo=UTC), datetime(2026, 2, 28, 9, tzinfo=UTC)),
    (datetime(2026, 1, 31, 9, tzinfo=UTC), datetime(2026, 3, 1, 9, tzinfo=UTC)),
    (datetime(2026, 1, 30, 9, tzinfo=UTC), datetime(2026, 2, 27, 9, tzinfo=UTC)),
    (datetime(2026, 2, 15, 10, tzinfo=UTC), datetime(2026, 3, 15, 9, 59, tzinfo=UTC)),
    (datetime(2026, 2, 15, 10, tzinfo=UTC), datetime(2026, 3, 15, 10, tzinfo=UTC)),
    (datetime(2024, 2, 29, 12, tzinfo=UTC), datetime(2025, 2, 28, 12, tzinfo=UTC)),
    (datetime(2024, 2, 29, 12, tzinfo=UTC), datetime(2025, 3, 1, 12, tzinfo=UTC)),
]


def django_words(moment: datetime, now: datetime) -> str:
    if moment > now:
        return _("in %(time)s") % {"time": timeuntil(moment, now, depth=1)}
    return _("%(time)s ago") % {"time": timesince(moment, now, depth=1)}


@pytest.mark.parametrize("language", ["en", "vi", "th"])
@pytest.mark.parametrize("span", SPANS)
def test_relative_says_what_timesince_says(language: str, span: timedelta) -> None:
    with translation.override(language):
        for moment in (NOW - span, NOW + span):
            assert relative(moment, NOW) == django_words(moment, NOW)


@pytest.mark.parametrize("language", ["en", "vi", "th"])
@pytest.mark.parametrize(("earlier", "later"), MONTH_ENDS)
def test_relative_counts_calendar_months_as_timesince(language: str, earlier: datetime, later: datetime) -> None:
    with translation.override(language):
        assert relative(earlier, later) == django_words(earlier, later)
        assert relative(later, earlier) == django_words(later, earlier)


def test_relative_speaks_the_active_language() -> None:
    with translation.override("en"):
        assert relative(NOW + timedelta(hours=3), NOW) == "in 3\xa0hours"
        assert relative(NOW - timedelta(days=2), NOW) == "2\xa0days ago"
    with translation.override("vi"):
        assert relative(NOW + timedelta(hours=3), NOW) != "in 3\xa0hours"
