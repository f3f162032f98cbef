from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kintsugi.accounts"
    label = "accounts"
    verbose_name = _("Organisations and staff")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from kintsugi import checks  # noqa: F401  (registers the system checks)
        from kintsugi.lib.checkpointer import on_connection_created

        # Project-wide: every process that opens the SQLite database checkpoints its log in the background.
        connection_created.connect(on_connection_created, dispatch_uid="kintsugi-wal-checkpointer")
