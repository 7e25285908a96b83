from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostmortemsConfig(AppConfig):
    name = "postmortems"
    verbose_name = _("Postmortems")

    def ready(self):
        # Here, not at the top: the receivers import models, which need a ready registry.
        from . import signals  # noqa: F401
