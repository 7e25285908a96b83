"""Who made a change, and why, for django-simple-history's rows.

The request middleware names the user for changes made in a request; services also run
from Celery and commands, so they name ``by`` themselves.
"""

from typing import Any

from django.db.models import Model


def record_as(instance: Model, by: Any, reason: str | None = None) -> None:
    """The next history row of ``instance`` is by ``by`` (and says ``reason``)."""
    setattr(instance, "_history_user", by)  # noqa: B010 -- simple-history reads this name
    if reason is not None:
        setattr(instance, "_change_reason", reason)  # noqa: B010
