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
    timedelta(days=28), timedelta(days=40), timedelta(days=400),
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


def test_relative_speaks_the_active_language() -> None:
    with translation.override("en"):
        assert relative(NOW + timedelta(hours=3), NOW) == "in 3\xa0hours"
        assert relative(NOW - timedelta(days=2), NOW) == "2\xa0days ago"
    with translation.override("vi"):
        assert relative(NOW + timedelta(hours=3), NOW) != "in 3\xa0hours"
