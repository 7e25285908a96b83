"""Counting a team's dashboard figures again (``DashboardCounts``, PostgreSQL): after the
day changed, after a bulk load written with the counts switched off, or on demand.

The triggers of migration 0009 keep the counts in step with every write; these functions
replace a team's counts with what its items give as of a day, each team in its own short
transaction holding the team's ``DashboardDay`` row exclusively (see the migration).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

# ``SET LOCAL`` this to ``off`` in a transaction that bulk-loads items, then call
# ``dashboard_counts_rebuild_all`` in it: the triggers do nothing meanwhile.
COUNTS_SWITCH = "hindsight.dashboard_counts"


def _server_today() -> datetime.date:
    return timezone.localdate(timezone=timezone.get_default_timezone())


def dashboard_counts_rebuild(
    *, team_ids: Iterable[int] | None = None, day: datetime.date | None = None
) -> int:
    """Count the teams ``team_ids`` again as of ``day`` (default: today in the server's
    zone); without ``team_ids``, every team whose counts are of another day or zone, or
    never made. Returns how many teams were counted. Nothing to do on SQLite."""
    if connection.vendor != "postgresql":
        return 0
    day = day or _server_today()
    if team_ids is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT i.team_id FROM actions_actionitem i "
                "LEFT JOIN actions_dashboardday d ON d.team_id = i.team_id "
                "WHERE d.day IS DISTINCT FROM %s OR d.zone IS DISTINCT FROM %s "
                "UNION SELECT team_id FROM actions_dashboardday "
                "WHERE day IS DISTINCT FROM %s OR zone <> %s",
                [day, settings.TIME_ZONE, day, settings.TIME_ZONE],
            )
            team_ids = [row[0] for row in cursor.fetchall()]
    teams = sorted(set(team_ids))
    for team_id in teams:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT actions_dashboard_rebuild(%s, %s, %s)", [team_id, day, settings.TIME_ZONE]
            )
    return len(teams)


def dashboard_counts_rebuild_all(*, day: datetime.date | None = None) -> None:
    """Every team's counts and the close days from all items, in the caller's transaction
    (a bulk load's, which wrote with ``COUNTS_SWITCH`` off). Nothing to do on SQLite."""
    if connection.vendor != "postgresql":
        return
    day = day or _server_today()
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {COUNTS_SWITCH} = 'on'")
        cursor.execute(
            "SELECT actions_dashboard_rebuild(team_id, %s, %s) FROM ("
            "SELECT team_id FROM actions_actionitem UNION SELECT team_id FROM actions_dashboardday"
            ") AS teams ORDER BY team_id",
            [day, settings.TIME_ZONE],
        )
        cursor.execute("SELECT actions_dashboard_rebuild_close_days()")
