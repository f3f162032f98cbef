from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediesConfig(AppConfig):
    name = "kintsugi.remedies"
    label = "remedies"
    verbose_name = _("Remedies")

    def ready(self) -> None:
        from kintsugi.cases.models import EventKind
        from kintsugi.cases.timeline import CUSTOMER_DESCRIBERS, EVENT_DESCRIBERS
        from kintsugi.comms.models import NotificationKind
        from kintsugi.comms.wording import NOTIFICATION_TEXTS
        from kintsugi.remedies import wording

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
