"""Counting the Kaizen page's open items per theme again (``KaizenOpenItems``, PostgreSQL):
once a day, so that the items that fell due since are in the stored ``overdue`` again
rather than counted live on every read, or after the rows were written by hand.

The triggers of migration 0012 keep the rows in step with every write; this replaces them
with what the items give, ``overdue`` as of ``day``, holding ``KaizenOpenDay`` exclusively
(writers hold it shared) so no change made meanwhile is lost or counted twice.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone


def kaizen_open_items_rebuild(*, day: datetime.date | None = None) -> bool:
    """Count every theme's open items again, overdue as of ``day`` (default: today in the
    server's zone, as the Kaizen page's weeks). False on SQLite (nothing is stored)."""
    if connection.vendor != "postgresql":
        return False
    day = day or timezone.localdate(timezone=timezone.get_default_timezone())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT actions_kaizen_open_rebuild(%s)", [day])
    return True
