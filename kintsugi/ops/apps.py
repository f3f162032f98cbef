from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Kintsugi: the timer loop, the processes' heartbeats, health and readiness for monitors."""

    name = "kintsugi.ops"
    label = "ops"
    verbose_name = _("Operations")
