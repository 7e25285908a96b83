from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostmortemsConfig(AppConfig):
    name = "postmortems"
    verbose_name = _("Postmortems")

    def ready(self):
        # Here, not at the top: the receivers import models, which need a ready registry.
        from django.db.backends.signals import connection_created

        from . import checks, db_timestamps, signals  # noqa: F401

        connection_created.connect(db_timestamps.install, dispatch_uid="timestamptz-loader")
