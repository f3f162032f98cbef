from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_directory_triggers(using: str = "default", **kwargs: Any) -> None:
    from kintsugi.intake.touchpoints import install_triggers

    install_triggers(connections[using])


class IntakeConfig(AppConfig):
    name = "kintsugi.intake"
    label = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        # The public form's and the API's hot writes repeat the same statements: convert each to qmark style once.
        from kintsugi.lib import sqlitequery

        sqlitequery.install()
        # After every migrate (which may have rebuilt a table, and with it dropped its triggers): the triggers
        # that keep the public form's cached touchpoints honest (intake/touchpoints.py).
        post_migrate.connect(_install_directory_triggers, sender=self, dispatch_uid="kintsugi_directory_triggers")
