"""What remedies add to the core, wired in by RemediesConfig.ready(): how their events and notifications read on
the timeline, in the bell and on the customer's status page, and the resolve rule (remedies.extension)."""

from __future__ import annotations

from kintsugi.cases import hooks
from kintsugi.cases.models import EventKind
from kintsugi.cases.timeline import CUSTOMER_DESCRIBERS, EVENT_DESCRIBERS
from kintsugi.comms.models import NotificationKind
from kintsugi.comms.wording import NOTIFICATION_TEXTS
from kintsugi.remedies import wording
from kintsugi.remedies.extension import RemediesExtension


def register() -> None:
    """Plug the app into the core (once, from its AppConfig)."""
    # No resolving while a remedy waits for approval.
    hooks.register(RemediesExtension())
    # How remedies read on the staff timeline, in the bell, and on the customer's status page.
    for kind in (EventKind.REMEDY_GRANTED, EventKind.REMEDY_REQUESTED, EventKind.REMEDY_APPROVED,
                 EventKind.REMEDY_REJECTED, EventKind.REMEDY_FULFILLED, EventKind.REMEDY_CANCELLED,
                 EventKind.CUSTOMER_COST):
        EVENT_DESCRIBERS.register(kind, wording.describe_event)
    for notification_kind in (NotificationKind.APPROVAL_NEEDED, NotificationKind.REMEDY_APPROVED,
                              NotificationKind.REMEDY_REJECTED):
        NOTIFICATION_TEXTS.register(notification_kind, wording.notification_text)
    # The customer sees that we put it right, nothing about limits or approvals.
    CUSTOMER_DESCRIBERS.register(EventKind.REMEDY_FULFILLED, wording.customer_entry)
