from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "kintsugi.comms"
    label = "comms"
    verbose_name = _("Messages and notifications")

    def ready(self) -> None:
        from kintsugi.cases.hooks import set_outbox
        from kintsugi.cases.labels import CHOICES
        from kintsugi.comms.models import DeliveryStatus
        from kintsugi.comms.outbox import CommsOutbox

        # The core reaches staff and customers through this app, and its pages name a message's delivery.
        set_outbox(CommsOutbox())
        CHOICES.register("delivery", DeliveryStatus)
