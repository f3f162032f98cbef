"""Sentences about remedies in the reader's language: the staff timeline, staff notifications and the
customer's status page. RemediesConfig.ready() registers them into kintsugi.cases.timeline's registries."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kintsugi.cases.models import CaseEvent, EventKind
from kintsugi.cases.timeline import CustomerEntry, TimelineEntry
from kintsugi.comms.models import Notification, NotificationKind
from kintsugi.remedies import policy
from kintsugi.remedies.models import CostKind, RemedyKind


def _language() -> str:
    return (get_language() or "en")[:2]


def kind_label(value: Any) -> str:
    try:
        return str(RemedyKind(value).label)
    except ValueError:
        return str(value or "")


def amount_of(data: dict[str, Any]) -> str:
    """The event's or notification's amount, formatted for the reader ("" when none was recorded)."""
    amount, currency = data.get("amount"), data.get("currency")
    if amount is None or not currency or currency not in policy.CURRENCIES:
        return ""
    return policy.format_amount(int(amount), str(currency), _language())


def remedy_phrase(data: dict[str, Any]) -> str:
    """“Voucher, 500.000 ₫” or “Apology only” when there is no money."""
    amount = amount_of(data) if data.get("amount") else ""
    kind = kind_label(data.get("kind"))
    return f"{kind}, {amount}" if amount else kind


def _details(data: dict[str, Any]) -> list[str]:
    details = []
    if data.get("is_goodwill"):
        details.append(_("Goodwill: the customer was at fault."))
    if data.get("proof"):
        details.append(_("Proof: %(proof)s") % {"proof": data["proof"]})
    return details


def _limit_label(name: str) -> str:
    return {"per_remedy": _("the limit per remedy"), "per_case": _("the limit per case"),
            "per_day": _("the daily limit")}.get(name, name)


def describe_event(event: CaseEvent) -> TimelineEntry:
    data = event.data or {}
    names = {"actor": event.actor.display_name if event.actor else _("Someone"), "remedy": remedy_phrase(data)}
    kind = event.kind
    details = _details(data)
    if kind == EventKind.REMEDY_GRANTED:
        return TimelineEntry(event, _("%(actor)s granted a remedy: %(remedy)s.") % names, "done", details)
    if kind == EventKind.REMEDY_REQUESTED:
        over = ", ".join(_limit_label(str(name)) for name in data.get("exceeded") or [])
        details.append(_("Above %(limits)s.") % {"limits": over} if over else "")
        return TimelineEntry(event, _("%(actor)s asked for approval of a remedy: %(remedy)s.") % names, "warning",
                             [line for line in details if line])
    if kind == EventKind.REMEDY_APPROVED:
        return TimelineEntry(event, _("%(actor)s approved the remedy: %(remedy)s.") % names, "done", details)
    if kind == EventKind.REMEDY_REJECTED:
        return TimelineEntry(event, _("%(actor)s rejected the remedy: %(remedy)s.") % names, "alert", details)
    if kind == EventKind.REMEDY_FULFILLED:
        return TimelineEntry(event, _("%(actor)s gave the remedy and told the customer: %(remedy)s.") % names,
                             "reply", details)
    if kind == EventKind.REMEDY_CANCELLED:
        return TimelineEntry(event, _("%(actor)s cancelled the remedy: %(remedy)s.") % names, "change", details)
    # CUSTOMER_COST
    parts = [str(CostKind(data["kind"]).label) if data.get("kind") in CostKind.values else ""]
    if data.get("amount") is not None:
        parts.append(amount_of(data))
    if data.get("minutes"):
        parts.append(_("%(minutes)d min") % {"minutes": int(data["minutes"])})
    what = ", ".join(part for part in parts if part)
    return TimelineEntry(event, _("%(actor)s recorded what the failure cost the customer: %(what)s.") % {
        **names, "what": what}, "note")


def notification_text(notification: Notification) -> str:
    data = notification.data or {}
    names = {"reference": notification.case.reference if notification.case else "",
             "by": data.get("by") or _("Someone"), "remedy": remedy_phrase(data)}
    if notification.kind == NotificationKind.APPROVAL_NEEDED:
        return _("%(by)s asks you to approve a remedy on case %(reference)s: %(remedy)s.") % names
    if notification.kind == NotificationKind.REMEDY_APPROVED:
        return _("%(by)s approved your remedy on case %(reference)s: %(remedy)s.") % names
    return _("%(by)s rejected your remedy on case %(reference)s: %(remedy)s.") % names


def customer_entry(event: CaseEvent) -> CustomerEntry | None:
    """The customer sees that we put it right and the message we sent them; nothing about limits or approvals."""
    return CustomerEntry(event, "us", _("We put things right for you."), event.body)
