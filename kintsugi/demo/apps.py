from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and `manage.py load_demo`; no models (its verbose name stays Django's, as nothing shows it)."""

    name = "kintsugi.demo"
    label = "demo"
