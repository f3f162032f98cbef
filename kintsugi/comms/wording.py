"""Each notification as one sentence in the reader's language (notification_text), built from its kind and data, so
nothing stored in the database carries translated text. The kinds the core raises (assigned, SLA, escalation,
replies, delivery) read here; an app that adds notification kinds (recovery, remedies) registers how they read
into NOTIFICATION_TEXTS from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from kintsugi.cases.timeline import target_label
from kintsugi.comms.models import Notification
from kintsugi.lib.registry import Registry

# kind -> function giving the sentence in the reader's language; filled from the apps' AppConfig.ready().
NOTIFICATION_TEXTS: Registry[str, Callable[[Notification], str]] = Registry("NOTIFICATION_TEXTS")


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
            **names, "target": target_label(str(data.get("target") or "")),
        }
    if kind == "sla_breach":
        return _("Case %(reference)s missed its %(target)s target.") % {
            **names, "target": target_label(str(data.get("target") or "")),
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
