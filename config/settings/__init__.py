"""Hindsight settings: every value from the environment.

The defaults run the embedded mode (SQLite in ``var/``, kombu's filesystem broker under
``var/broker/``) with no environment at all; production sets ``DATABASE_URL``,
``CELERY_BROKER_URL``, ``SECRET_KEY`` and friends. ``.env.example`` lists every setting.

``DJANGO_SETTINGS_MODULE=config.settings`` reads them all; they are kept in one module
per concern, each taking what it needs from ``base``.
"""

from .api import *  # noqa: F403
from .base import *  # noqa: F403
from .hindsight import *  # noqa: F403
from .security import *  # noqa: F403
from .worker import *  # noqa: F403
