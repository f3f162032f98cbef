"""The case timeline in words: each event as a sentence for staff (describe_event), and the customer's reading of
the events other apps add (CUSTOMER_DESCRIBERS, read by intake.wording). Notifications are worded by
kintsugi.comms.wording.

Every sentence is built here from an event's kind and data, in the reader's active language, so nothing stored in
the database carries translated text. Cases describes its own kinds; an app that adds event kinds (recovery,
remedies) registers how they read into the registries below from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kintsugi.cases.labels import label_of, severity_label
from kintsugi.cases.models import CaseEvent, EventKind
from kintsugi.lib.registry import Registry


@dataclass
class TimelineEntry:
    """One entry of the staff timeline."""

    event: CaseEvent
    title: str
    tone: str  # customer, reply, note, system, change: drives the entry's style
    details: list[str] = field(default_factory=list)
    delivery: str = ""
    delivery_state: str = ""


@dataclass(frozen=True, slots=True)
class CustomerEntry:
    """One line of the customer's timeline: who spoke (you or us), a sentence, and the words said, if any."""

    event: CaseEvent
    side: str  # "you" or "us"
    sentence: str
    text: str


# kind -> function giving the entry or sentence in the reader's language; filled from the apps' AppConfig.ready().
EVENT_DESCRIBERS: Registry[str, Callable[[CaseEvent], TimelineEntry]] = Registry("EVENT_DESCRIBERS")
# The customer's side (intake.wording.customer_entry): a registered kind is shown when its event is visible.
CUSTOMER_DESCRIBERS: Registry[str, Callable[[CaseEvent], CustomerEntry | None]] = Registry("CUSTOMER_DESCRIBERS")


# --------------------------------------------------------------------------------------------- events


def target_label(target: str) -> str:
    """The SLA target's name in the reader's language: first response or resolution."""
    return _("first response") if target == "first_response" else _("resolution")


def _status_label(value: Any) -> str:
    return label_of(str(value or ""), "status")


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
        target = target_label(str(data.get("target") or ""))
        return TimelineEntry(event, _("The %(target)s target is getting close.") % {"target": target}, "warning")
    if kind == EventKind.SLA_BREACH:
        target = target_label(str(data.get("target") or ""))
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
