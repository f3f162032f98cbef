from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediesConfig(AppConfig):
    name = "kintsugi.remedies"
    label = "remedies"
    verbose_name = _("Remedies")

    def ready(self) -> None:
        from kintsugi.remedies import registrations

        registrations.register()
