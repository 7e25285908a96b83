from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Actions")

    def ready(self):
        # Here, not at the top: the receivers import models, which need a ready registry.
        from . import signals  # noqa: F401
