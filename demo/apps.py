from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data. It may import every domain app; none imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
