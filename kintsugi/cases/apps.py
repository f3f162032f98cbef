from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _

from kintsugi.cases import search_schema


class CasesConfig(AppConfig):
    name = "kintsugi.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # The SQLite search index's triggers call kintsugi_fold: every connection needs it before a case is written.
        connection_created.connect(search_schema.on_connection_created, dispatch_uid="kintsugi_fold")
        pre_migrate.connect(search_schema.before_migrate, sender=self, dispatch_uid="kintsugi_search_lift")
        post_migrate.connect(search_schema.after_migrate, sender=self, dispatch_uid="kintsugi_search_restore")
