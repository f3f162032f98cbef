from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "kintsugi.intake"
    label = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        # The public form's and the API's hot writes repeat the same statements: convert each to qmark style once.
        from kintsugi.lib import sqlitequery

        sqlitequery.install()
