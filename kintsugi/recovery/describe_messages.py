"""How the apology and thank-and-explain events read on the staff timeline (registered from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kintsugi.cases.models import CaseEvent, EventKind
from kintsugi.cases.templatetags.kintsugi_ui import EVENT_DESCRIBERS, TimelineEntry, label_of


def _apology(event: CaseEvent) -> TimelineEntry:
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


def _thanks(event: CaseEvent) -> TimelineEntry:
    data = event.data or {}
    names = {"actor": event.actor.display_name if event.actor else "",
             "channel": label_of(data.get("channel"), "channel")}
    return TimelineEntry(event, _("%(actor)s thanked the customer and explained what was done (%(channel)s).")
                         % names, "reply")


def register() -> None:
    EVENT_DESCRIBERS[EventKind.APOLOGY_SENT] = _apology
    EVENT_DESCRIBERS[EventKind.THANKS_SENT] = _thanks
