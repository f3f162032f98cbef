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
        from kintsugi.cases.templatetags.kintsugi_ui import EVENT_DESCRIBERS, NOTIFICATION_TEXTS
        from kintsugi.intake.wording import CUSTOMER_DESCRIBERS
        from kintsugi.recovery import describe

        EVENT_DESCRIBERS.update({
            EventKind.PLAYBOOK_SET: describe.playbook_set,
            EventKind.STEP_DONE: describe.step_done,
            EventKind.STEP_OVERRIDE: describe.step_override,
            EventKind.FOLLOW_UP_SCHEDULED: describe.follow_up_scheduled,
            EventKind.FOLLOW_UP_SENT: describe.follow_up_sent,
            EventKind.FOLLOW_UP_ANSWERED: describe.follow_up_answered,
        })
        # On the status page the follow-up is a sentence without its text: the yes/no buttons sit right below,
        # and the message's links (a private token) would only be clutter there.
        CUSTOMER_DESCRIBERS[EventKind.FOLLOW_UP_SENT] = describe.follow_up_for_customer
        NOTIFICATION_TEXTS.update({
            "follow_up_unhappy": describe.follow_up_unhappy,
            "follow_ups_due": describe.follow_ups_due,
        })
        from kintsugi.recovery import describe_messages

        describe_messages.register()
