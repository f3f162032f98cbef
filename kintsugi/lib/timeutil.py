"""Moments as people read them: “by 10:30 tomorrow”, in a place's time zone and the active language."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache

from django.utils import dateformat
from django.utils.dates import WEEKDAYS
from django.utils.formats import get_format
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

QUARTER = timedelta(minutes=15)


def round_up(moment: datetime, step: timedelta) -> datetime:
    """`moment` rounded up to the next multiple of `step` (within its day; `step` divides an hour)."""
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    since = moment - midnight
    steps = -(-since // step)  # ceiling division
    return midnight + steps * step


def due_phrase(due: datetime, *, tz: tzinfo, now: datetime, absolute: bool = False) -> str:
    """“by 10:30 today”, “by 10:30 tomorrow”, “by 10:30 on Wednesday” or, a week or more ahead (or always when
    `absolute`, for text read later such as an email), “by 10:30 on 24 November”; in `tz`. The time is rounded up
    to a quarter of an hour: people are promised a round time, never one earlier than the deadline."""
    local = round_up(due.astimezone(tz), QUARTER)
    days = (local.date() - now.astimezone(tz).date()).days
    time = f"{local:%H:%M}"
    if not absolute:
        if days <= 0:
            return _("by %(time)s today") % {"time": time}
        if days == 1:
            return _("by %(time)s tomorrow") % {"time": time}
        if days < 7:
            return _("by %(time)s on %(weekday)s") % {"time": time, "weekday": WEEKDAYS[local.weekday()]}
    return _("by %(time)s on %(date)s") % {"time": time, "date": _day_and_month(local.date(), get_language())}


@lru_cache(maxsize=512)
def _day_and_month(day: date, language: str | None) -> str:
    """“24 November” (vi “24 tháng 11”) in `language`, the project's MONTH_DAY_FORMAT (kintsugi/formats): Django's
    date format costs 8-10 us a call, and an acknowledgement needs one."""
    with override(language):
        return dateformat.format(day, get_format("MONTH_DAY_FORMAT"))
