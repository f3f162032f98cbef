"""How recovery's events read on the staff timeline (the playbook, the follow-up, the apology and
thank-and-explain) and its notifications in the bell, in the viewer's language, and the follow-up on the
customer's status page. RecoveryConfig.ready() registers them into kintsugi.cases.timeline's registries."""

from __future__ import annotations

from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kintsugi.cases.labels import label_of
from kintsugi.cases.models import CaseEvent
from kintsugi.cases.timeline import CustomerEntry, TimelineEntry
from kintsugi.comms.models import Notification
from kintsugi.lib.dates import format_moment


def _actor(event: CaseEvent) -> str:
    return event.actor.display_name if event.actor else ""


def _when(value: object) -> str:
    moment = parse_datetime(str(value or ""))
    if not isinstance(moment, datetime):
        return ""
    return format_moment(moment, "SHORT_DATETIME_FORMAT")


def playbook_set(event: CaseEvent) -> TimelineEntry:
    return TimelineEntry(event, _("The case follows the %(playbook)s playbook.") % {
        "playbook": event.data.get("name") or "—"}, "change")


def step_done(event: CaseEvent) -> TimelineEntry:
    names = {"actor": _actor(event) or _("Someone"), "step": event.data.get("name") or event.data.get("step")}
    return TimelineEntry(event, _("%(actor)s ticked the step “%(step)s”.") % names, "change")


def step_override(event: CaseEvent) -> TimelineEntry:
    steps = ", ".join(str(n) for n in event.data.get("names") or event.data.get("steps") or [])
    title = _("%(actor)s resolved the case with playbook steps open.") % {"actor": _actor(event) or _("Someone")}
    return TimelineEntry(event, title, "alert", details=[_("Skipped: %(steps)s") % {"steps": steps}])


def follow_up_scheduled(event: CaseEvent) -> TimelineEntry:
    return TimelineEntry(event, _("Follow-up scheduled for %(when)s.") % {"when": _when(event.data.get("due_at"))},
                         "change")


def follow_up_sent(event: CaseEvent) -> TimelineEntry:
    return TimelineEntry(event, _("The customer was asked whether everything is all right now."), "reply")


def follow_up_answered(event: CaseEvent) -> TimelineEntry:
    if event.data.get("happy"):
        return TimelineEntry(event, _("The customer answered the follow-up: everything is all right now."), "done")
    return TimelineEntry(event, _("The customer answered the follow-up: it is not put right yet."), "alert")


def follow_up_expired(event: CaseEvent) -> TimelineEntry:
    return TimelineEntry(event, _("The follow-up expired: the customer did not answer within %(days)s days.") % {
        "days": event.data.get("days", "")}, "change")


def apology_sent(event: CaseEvent) -> TimelineEntry:
    data = event.data or {}
    names = {"actor": event.actor.display_name if event.actor else "",
             "channel": label_of(data.get("channel"), "channel")}
    details = []
    seconds = data.get("seconds_since_complaint")
    if isinstance(seconds, int):
        hours, rest = divmod(seconds // 60, 60)
        details.append(_("%(hours)d h %(minutes)d min after the complaint") % {"hours": hours, "minutes": rest})
    warnings = data.get("warnings")
    if isinstance(warnings, int) and warnings:
        details.append(_("Sent with %(count)d lint warnings") % {"count": warnings})
    return TimelineEntry(event, _("%(actor)s apologised to the customer (%(channel)s).") % names, "reply",
                         details=details)


def thanks_sent(event: CaseEvent) -> TimelineEntry:
    data = event.data or {}
    names = {"actor": event.actor.display_name if event.actor else "",
             "channel": label_of(data.get("channel"), "channel")}
    return TimelineEntry(event, _("%(actor)s thanked the customer and explained what was done (%(channel)s).")
                         % names, "reply")


def follow_up_unhappy(notification: Notification) -> str:
    reference = notification.case.reference if notification.case is not None else ""
    return _("The customer of case %(reference)s is not happy yet; the case is open again.") % {
        "reference": reference}


def follow_ups_due(notification: Notification) -> str:
    return _("Follow-ups are due today.")


def follow_up_for_customer(event: CaseEvent) -> CustomerEntry:
    return CustomerEntry(event, "us", _("We asked whether everything is all right now."), "")
