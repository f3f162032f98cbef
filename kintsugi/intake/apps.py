from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "kintsugi.intake"
    label = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from kintsugi.intake import registrations

        registrations.register()
