from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from kintsugi.cases import search_schema


class CasesConfig(AppConfig):
    name = "kintsugi.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # The SQLite search index's triggers call kintsugi_fold: every connection needs it before a case is written.
        connection_created.connect(search_schema.on_connection_created, dispatch_uid="kintsugi_fold")
