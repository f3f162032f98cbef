"""Presentation helpers for the staff pages: badges, SLA states, relative times, the top bar's initials, and the
labels of stored values. The bell and the notifications' sentences are kintsugi.comms's (comms_ui).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import avoid_wrapping
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kintsugi.accounts.models import User
from kintsugi.cases.labels import label_of as label_of
from kintsugi.cases.labels import severity_label as severity_label
from kintsugi.cases.labels import severity_words as severity_words
from kintsugi.cases.models import Case
from kintsugi.cases.timeline import describe_event as describe_event  # cases.views reads it from here
from kintsugi.lib.dates import format_moment
from kintsugi.lib.i18n import LANGUAGE_NAMES

if TYPE_CHECKING:
    from kintsugi.cases.selectors import InboxRow

register = template.Library()

BADGE_CAP = 99


register.filter("severity_label", severity_label)


@register.filter
def severity_badge(severity: int) -> SafeString:
    """cases/severity_badge.html for this severity in the active language, rendered once per process (the
    inbox shows one a row: {{ row.severity|severity_badge }})."""
    return _severity_badge(get_language() or "", int(severity))


@lru_cache(maxsize=128)
def _severity_badge(language: str, severity: int) -> SafeString:
    # A template's output is safe HTML already; mark_safe only says so to the type checker.
    return mark_safe(get_template("cases/severity_badge.html").render({"severity": severity}))


@register.filter
def language_label(code: str | None) -> str:
    """The language's name in the viewer's language with its own name beside it: “Thai (ภาษาไทย)”."""
    code = (code or "")[:2]
    local = {"en": pgettext("language", "English"), "vi": pgettext("language", "Vietnamese"),
             "th": pgettext("language", "Thai")}.get(code)
    own = LANGUAGE_NAMES.get(code)
    if local is None or own is None:
        return code
    return local if local == own else f"{local} ({own})"


@register.filter
def badge_count(value: int | None) -> str:
    value = int(value or 0)
    return f"{BADGE_CAP}+" if value > BADGE_CAP else str(value)


register.filter("label_of", label_of)


@register.filter
def sla_state(case: Case | InboxRow, now: datetime | None = None) -> str:
    """ok, warning, breached, paused or stopped: the inbox's SLA colour, from stored fields only (no query)."""
    if not case.is_open:
        return "stopped"
    due = case.sla_running_due_at
    if due is None:
        return "paused"
    now = now or timezone.now()
    pending_first = case.first_response_at is None and case.first_response_due_at is not None
    breached = case.first_response_breached if pending_first else case.resolution_breached
    if breached or due <= now:
        return "breached"
    if case.sla_warn_at is not None and case.sla_warn_at <= now:
        return "warning"
    return "ok"


@register.filter
def moment(value: datetime | None, kind: str = "SHORT_DATETIME_FORMAT") -> str:
    """A date or time in one of the project's named formats (kintsugi/formats), the active language and time
    zone, with the Thai Buddhist year where the organisation chose it: {{ case.created_at|moment }}."""
    return format_moment(value, kind)


@register.filter
def relative(moment: datetime | None, now: datetime | None = None) -> str:
    """“in 3 hours” or “2 hours ago”, to one unit: enough for scanning a list. The same words as Django's
    timesince/timeuntil with depth 1 (its calendar months and years included), worked out here and kept per
    language, as the inbox shows 25 of them on every load."""
    if moment is None:
        return ""
    now = (now or timezone.now()).astimezone(moment.tzinfo)
    future = moment > now
    earlier, later = (now, moment) if future else (moment, now)
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if earlier.day > later.day or (earlier.day == later.day and earlier.time() > later.time()):
        months -= 1
    language = get_language() or ""
    if months >= 12:
        return _relative_words(language, future, "year", months // 12)
    if months > 0:
        return _relative_words(language, future, "month", months)
    delta = later - earlier
    seconds = delta.days * 24 * 3600 + delta.seconds
    for size, unit in SPAN_UNITS:
        if seconds >= size:
            return _relative_words(language, future, unit, seconds // size)
    return _relative_words(language, future, "minute", 0)


SPAN_UNITS = ((7 * 24 * 3600, "week"), (24 * 3600, "day"), (3600, "hour"), (60, "minute"))


@lru_cache(maxsize=4096)
def _relative_words(language: str, future: bool, unit: str, count: int) -> str:
    span = avoid_wrapping(TIME_STRINGS[unit] % {"num": count})
    return _("in %(time)s") % {"time": span} if future else _("%(time)s ago") % {"time": span}


@register.filter
def working_duration(seconds: float | None) -> str:
    """Working time as “5 h 20 min” (negative values as their magnitude; the caller says “overdue”)."""
    if seconds is None:
        return ""
    minutes = int(abs(seconds) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.filter
def initials(user: User | None) -> str:
    if user is None:
        return ""
    return initials_of(user.display_name)


@register.filter
def initials_of(name: str) -> str:
    """“LT” for “Linh Tran”, “L” for “Linh”, “?” for nothing."""
    parts = name.strip().split()
    letters = (parts[0][:1] + (parts[-1][:1] if len(parts) > 1 else "")) if parts else "?"
    return letters.upper()


@register.filter
def working_countdown(seconds: float | None) -> str:
    """Working time left as H:MM:SS, with a minus sign once overdue (the script keeps it ticking)."""
    if seconds is None:
        return ""
    whole = round(seconds)
    sign = "\u2212" if whole < 0 else ""
    hours, rest = divmod(abs(whole), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}"

