from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "kintsugi.recovery"
    label = "recovery"
    verbose_name = _("Recovery")

    def ready(self) -> None:
        from kintsugi.recovery import registrations

        registrations.register()
