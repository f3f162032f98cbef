"""What recovery adds to the core, wired in by RecoveryConfig.ready(): its case extension (playbooks,
follow-ups, the resolve rule), and how its events and notifications read on the timeline, in the bell and on
the customer's status page."""

from __future__ import annotations

from kintsugi.cases import hooks
from kintsugi.cases.models import EventKind
from kintsugi.cases.timeline import CUSTOMER_DESCRIBERS, EVENT_DESCRIBERS
from kintsugi.comms.models import NotificationKind
from kintsugi.comms.wording import NOTIFICATION_TEXTS
from kintsugi.recovery import describe
from kintsugi.recovery.extension import RecoveryExtension


def register() -> None:
    """Plug the app into the core (once, from its AppConfig)."""
    hooks.register(RecoveryExtension())
    # How recovery's events read on the staff timeline.
    EVENT_DESCRIBERS.register(EventKind.PLAYBOOK_SET, describe.playbook_set)
    EVENT_DESCRIBERS.register(EventKind.STEP_DONE, describe.step_done)
    EVENT_DESCRIBERS.register(EventKind.STEP_OVERRIDE, describe.step_override)
    EVENT_DESCRIBERS.register(EventKind.FOLLOW_UP_SCHEDULED, describe.follow_up_scheduled)
    EVENT_DESCRIBERS.register(EventKind.FOLLOW_UP_SENT, describe.follow_up_sent)
    EVENT_DESCRIBERS.register(EventKind.FOLLOW_UP_ANSWERED, describe.follow_up_answered)
    EVENT_DESCRIBERS.register(EventKind.FOLLOW_UP_EXPIRED, describe.follow_up_expired)
    EVENT_DESCRIBERS.register(EventKind.APOLOGY_SENT, describe.apology_sent)
    EVENT_DESCRIBERS.register(EventKind.THANKS_SENT, describe.thanks_sent)
    # Its notifications in the bell.
    NOTIFICATION_TEXTS.register(NotificationKind.FOLLOW_UP_UNHAPPY, describe.follow_up_unhappy)
    NOTIFICATION_TEXTS.register(NotificationKind.FOLLOW_UPS_DUE, describe.follow_ups_due)
    # On the status page the follow-up is a sentence without its text: the yes/no buttons sit right below,
    # and the message's links (a private token) would only be clutter there.
    CUSTOMER_DESCRIBERS.register(EventKind.FOLLOW_UP_SENT, describe.follow_up_for_customer)
