from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "kintsugi.comms"
    label = "comms"
    verbose_name = _("Messages and notifications")

    def ready(self) -> None:
        from kintsugi.comms import registrations

        registrations.register()
