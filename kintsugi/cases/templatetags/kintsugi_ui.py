"""Presentation helpers for the staff pages: badges, SLA states, timeline and notification sentences.

Every sentence is built here from an event's or notification's kind and data, in the viewer's active language,
so nothing stored in the database carries translated text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import avoid_wrapping
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, Channel, EventKind, FailureType, Priority, Status
from kintsugi.comms.models import DeliveryStatus, Notification
from kintsugi.lib.i18n import LANGUAGE_NAMES

if TYPE_CHECKING:
    from kintsugi.cases.selectors import InboxRow

register = template.Library()

BADGE_CAP = 99


def severity_words() -> dict[int, str]:
    """The five severity words in the active language (a fresh dict: callers may change it)."""
    return dict(_severity_words(get_language() or ""))


@lru_cache(maxsize=16)
def _severity_words(language: str) -> dict[int, str]:
    # Per language: the catalogues do not change while the process runs. `language` is only the cache key;
    # pgettext reads the active language, which is `language` whenever this is called.
    return {
        1: pgettext("severity", "Minor"),
        2: pgettext("severity", "Low"),
        3: pgettext("severity", "Medium"),
        4: pgettext("severity", "Serious"),
        5: pgettext("severity", "Critical"),
    }


@register.filter
def severity_label(value: int | None) -> str:
    return _severity_words(get_language() or "").get(int(value or 0), "")


def severity_badge(severity: int) -> SafeString:
    """cases/severity_badge.html for this severity in the active language, rendered once per process."""
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


@register.filter
def label_of(value: str | None, kind: str) -> str:
    """The translated label of a stored choice value: {{ case.status|label_of:"status" }}."""
    choices: dict[str, Any] = {
        "status": Status, "priority": Priority, "channel": Channel, "failure_type": FailureType,
        "delivery": DeliveryStatus,
    }
    enum = choices[kind]
    try:
        return str(enum(value).label)
    except ValueError:
        return value or ""


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


@register.simple_tag
def unread_notifications(user: Any) -> int:
    """Unread notifications of `user`, counted up to BADGE_CAP + 1 so the query stays bounded."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True)[: BADGE_CAP + 1].count()


# --------------------------------------------------------------------------------------------- timeline


def _target_label(target: str) -> str:
    return _("first response") if target == "first_response" else _("resolution")


def _status_label(value: Any) -> str:
    return label_of(str(value or ""), "status")


@dataclass
class TimelineEntry:
    event: CaseEvent
    title: str
    tone: str  # customer, reply, note, system, change: drives the entry's style
    details: list[str] = field(default_factory=list)
    delivery: str = ""
    delivery_state: str = ""


# Apps that add event or notification kinds (recovery, remedies, ...) describe them here, from their
# AppConfig.ready(): kind -> function giving the sentence in the viewer's language.
EVENT_DESCRIBERS: dict[str, Callable[[CaseEvent], TimelineEntry]] = {}
NOTIFICATION_TEXTS: dict[str, Callable[[Notification], str]] = {}


def describe_event(
    event: CaseEvent, *, categories: Mapping[int, str], deliveries: Mapping[int, str]
) -> TimelineEntry:
    """One timeline entry: a sentence in the viewer's language, its tone, and detail lines."""
    describer = EVENT_DESCRIBERS.get(event.kind)
    if describer is not None:
        return describer(event)
    actor = event.actor.display_name if event.actor else ""
    data = event.data or {}
    kind = event.kind
    names = {"actor": actor}
    if kind == EventKind.CREATED:
        channel = label_of(data.get("channel"), "channel")
        if actor:
            title = _("%(actor)s logged the complaint (%(channel)s).") % {**names, "channel": channel}
        else:
            title = _("The customer complained via %(channel)s.") % {"channel": channel}
        return TimelineEntry(event, title, "customer")
    if kind == EventKind.MESSAGE_IN:
        channel = label_of(data.get("channel"), "channel")
        return TimelineEntry(event, _("The customer wrote (%(channel)s).") % {"channel": channel}, "customer")
    if kind == EventKind.MESSAGE_OUT:
        status = deliveries.get(int(data.get("message_id") or 0), "")
        channel = label_of(data.get("channel"), "channel")
        title = _("%(actor)s replied to the customer (%(channel)s).") % {**names, "channel": channel}
        return TimelineEntry(event, title, "reply", delivery=label_of(status, "delivery") if status else "",
                             delivery_state=status)
    if kind == EventKind.NOTE:
        return TimelineEntry(event, _("%(actor)s added an internal note.") % names, "note")
    if kind == EventKind.MESSAGE_STATUS:
        return TimelineEntry(event, _("A message to the customer could not be delivered."), "alert")
    if kind == EventKind.ACKNOWLEDGED:
        return TimelineEntry(event, _("%(actor)s acknowledged the case.") % names, "change")
    if kind == EventKind.ASSIGNED:
        to_name = str(data.get("to_name") or "")
        if not data.get("to"):
            title = _("%(actor)s unassigned the case.") % names
        elif event.actor is not None and data.get("to") == event.actor.pk:
            title = _("%(actor)s took the case.") % names
        else:
            title = _("%(actor)s assigned the case to %(assignee)s.") % {**names, "assignee": to_name}
        return TimelineEntry(event, title, "change")
    if kind == EventKind.STATUS_CHANGED:
        old, new = _status_label(data.get("from")), _status_label(data.get("to"))
        if data.get("reason") == "customer_replied":
            title = _("The customer replied, so the case is “%(status)s” again.") % {"status": new}
        elif actor:
            title = _("%(actor)s changed the status from “%(old)s” to “%(new)s”.") % {**names, "old": old, "new": new}
        else:
            title = _("The status changed from “%(old)s” to “%(new)s”.") % {"old": old, "new": new}
        return TimelineEntry(event, title, "change")
    if kind == EventKind.RESOLVED:
        title = _("%(actor)s resolved the case.") % names if actor else _("The case was resolved.")
        return TimelineEntry(event, title, "done")
    if kind == EventKind.REOPENED:
        title = _("%(actor)s reopened the case.") % names if actor else _("The case was reopened.")
        return TimelineEntry(event, title, "alert")
    if kind == EventKind.CLOSED:
        return TimelineEntry(event, _("%(actor)s closed the case.") % names if actor else _("The case was closed."),
                             "done")
    if kind == EventKind.ESCALATED:
        reason = data.get("reason")
        priority = {"old": label_of(data.get("from"), "priority"), "new": label_of(data.get("to"), "priority")}
        if reason == "manual":
            title = _("%(actor)s escalated the case.") % names
        elif reason == "repeat_failure":
            title = _("Escalated automatically: this customer has had another failure recently.")
        elif reason == "first_response_breach":
            title = _("Escalated automatically: the first response target was missed.")
        elif reason == "resolution_breach":
            title = _("Escalated automatically: the resolution target was missed.")
        else:
            title = _("The case was escalated.")
        details = [] if priority["old"] == priority["new"] else [
            _("Priority: %(old)s → %(new)s") % priority
        ]
        return TimelineEntry(event, title, "alert", details=details)
    if kind == EventKind.SLA_WARNING:
        target = _target_label(str(data.get("target") or ""))
        return TimelineEntry(event, _("The %(target)s target is getting close.") % {"target": target}, "warning")
    if kind == EventKind.SLA_BREACH:
        target = _target_label(str(data.get("target") or ""))
        return TimelineEntry(event, _("The %(target)s target was missed.") % {"target": target}, "alert")
    if kind == EventKind.UPDATED:
        details = []
        if "category" in data:
            old_id, new_id = data["category"]
            details.append(_("Category: %(old)s → %(new)s") % {
                "old": categories.get(old_id, "—") if old_id else "—",
                "new": categories.get(new_id, "—") if new_id else "—",
            })
        if "severity" in data:
            old_sev, new_sev = data["severity"]
            details.append(_("Severity: %(old)s → %(new)s") % {
                "old": f"{old_sev} {severity_label(old_sev)}", "new": f"{new_sev} {severity_label(new_sev)}",
            })
        if "failure_type" in data:
            old_ft, new_ft = data["failure_type"]
            details.append(_("Failure type: %(old)s → %(new)s") % {
                "old": label_of(old_ft, "failure_type"), "new": label_of(new_ft, "failure_type"),
            })
        if data.get("status_link") == "revoked":  # intake.services.revoke_link
            details.append(_("The customer's status page link was revoked."))
        return TimelineEntry(event, _("%(actor)s changed the details.") % names, "change", details=details)
    if kind == EventKind.CUSTOMER_MERGED:
        merged = {
            **names,
            "source": data.get("source_name") or f"#{data.get('source_id')}",
            "target": data.get("target_name") or f"#{data.get('target_id')}",
        }
        return TimelineEntry(
            event, _("%(actor)s merged the customer record “%(source)s” into “%(target)s”.") % merged, "change"
        )
    return TimelineEntry(event, str(EventKind(kind).label) if kind in EventKind.values else kind, "change")


# --------------------------------------------------------------------------------------------- notifications


@register.filter
def notification_text(notification: Notification) -> str:
    """The notification as one sentence in the viewer's language, built from its kind and data."""
    text = NOTIFICATION_TEXTS.get(notification.kind)
    if text is not None:
        return text(notification)
    data = notification.data or {}
    reference = notification.case.reference if notification.case is not None else ""
    names = {"reference": reference}
    kind = notification.kind
    if kind == "assigned":
        return _("%(by)s assigned case %(reference)s to you.") % {**names, "by": data.get("by") or _("Someone")}
    if kind == "sla_warning":
        return _("Case %(reference)s is getting close to its %(target)s target.") % {
            **names, "target": _target_label(str(data.get("target") or "")),
        }
    if kind == "sla_breach":
        return _("Case %(reference)s missed its %(target)s target.") % {
            **names, "target": _target_label(str(data.get("target") or "")),
        }
    if kind == "escalated":
        if data.get("reason") == "repeat_failure":
            return _("Case %(reference)s is a repeat failure for this customer.") % names
        if str(data.get("reason") or "").endswith("_breach"):
            return _("Case %(reference)s was escalated after missing a target.") % names
        return _("Case %(reference)s was escalated.") % names
    if kind == "customer_replied":
        return _("The customer replied on case %(reference)s.") % names
    if kind == "reopened":
        return _("Case %(reference)s was reopened.") % names
    if kind == "delivery_failed":
        return _("A message on case %(reference)s could not be delivered.") % names
    return _("Update on case %(reference)s.") % names


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

