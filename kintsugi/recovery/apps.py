from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "kintsugi.recovery"
    label = "recovery"
    verbose_name = _("Recovery")

    def ready(self) -> None:
        from kintsugi.cases.hooks import register
        from kintsugi.recovery.extension import RecoveryExtension

        register(RecoveryExtension())
        from kintsugi.cases.models import EventKind
        from kintsugi.cases.timeline import CUSTOMER_DESCRIBERS, EVENT_DESCRIBERS
        from kintsugi.comms.models import NotificationKind
        from kintsugi.comms.wording import NOTIFICATION_TEXTS
        from kintsugi.recovery import describe

        # How recovery's events read on the staff timeline.
        EVENT_DESCRIBERS.register(EventKind.PLAYBOOK_SET, describe.playbook_set)
        EVENT_DESCRIBERS.register(EventKind.STEP_DONE, describe.step_done)
        EVENT_DESCRIBERS.register(EventKind.STEP_OVERRIDE, describe.step_override)
        EVENT_DESCRIBERS.register(EventKind.FOLLOW_UP_SCHEDULED, describe.follow_up_scheduled)
        EVENT_DESCRIBERS.register(EventKind.FOLLOW_UP_SENT, describe.follow_up_sent)
        EVENT_DESCRIBERS.register(EventKind.FOLLOW_UP_ANSWERED, describe.follow_up_answered)
        EVENT_DESCRIBERS.register(EventKind.APOLOGY_SENT, describe.apology_sent)
        EVENT_DESCRIBERS.register(EventKind.THANKS_SENT, describe.thanks_sent)
        # Its notifications in the bell.
        NOTIFICATION_TEXTS.register(NotificationKind.FOLLOW_UP_UNHAPPY, describe.follow_up_unhappy)
        NOTIFICATION_TEXTS.register(NotificationKind.FOLLOW_UPS_DUE, describe.follow_ups_due)
        # On the status page the follow-up is a sentence without its text: the yes/no buttons sit right below,
        # and the message's links (a private token) would only be clutter there.
        CUSTOMER_DESCRIBERS.register(EventKind.FOLLOW_UP_SENT, describe.follow_up_for_customer)
