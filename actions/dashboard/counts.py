"""The dashboard's figures from the counts PostgreSQL keeps (``DashboardCounts``), exact and
in a few small queries whatever the number of items.

Every write to an item (and every change of a postmortem's ``restricted``) adjusts the
counts of its team in the same transaction (triggers, migration 0009), as of the day the
team was last counted; a team counted on an earlier day is counted again when read (a few
at a time; the beat entry ``dashboard-counts`` does all of them after midnight). Items of
restricted postmortems are counted apart: superusers read those counts too, everyone else
gets the restricted items they may read counted live (a few rows, through the restricted
postmortems' index). Two figures are finished live on few rows: "completed in the last 30
days" for the hours of its first day, and the median time to close, whose whole day the
counts of ``DashboardCloseDays`` point at.

The dashboard without filters, in the server's zone, reads the counts; any filter, another
zone, or SQLite counts live (``figures.dashboard_summary``, which also checks these).
"""

# The statements here are put together from column and table names of this module; every
# value is a parameter.
# ruff: noqa: S608

import datetime
import operator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from postmortems.dates import day_start
from postmortems.models import Team

from ..models import DASHBOARD_COUNT_COLUMNS
from ..services.dashboard_counts import dashboard_counts_rebuild
from .cache import restricted_visible_ids
from .figures import (
    _count_conditions,
    _figures,
    _team_rows,
    dashboard_summary,
)
from .filters import dashboard_items

# A read counts again at most this many teams whose counts are of an earlier day; with more
# (the first read after midnight, before the beat entry ran) it counts live this once.
REBUILD_ON_READ = 10

# The figure each column holds (``_count_conditions()`` and the columns share their order).
COLUMN_FIGURES = dict(zip(DASHBOARD_COUNT_COLUMNS, _count_conditions(), strict=True))
FIGURES = tuple(COLUMN_FIGURES.values())
_TOTAL = FIGURES.index("total")

# What the per-team table reads of a team's counts (``figures._team_rows``), and where.
_TEAM_COLUMNS = tuple(
    (name, FIGURES.index(name)) for name in ("open", "overdue", "done", "done_on_time")
)


def _team_figures(counts: tuple[int, ...]) -> dict[str, int]:
    return {name: counts[at] for name, at in _TEAM_COLUMNS}


class CountsDisagree(Exception):
    """The close days and the items disagree (never expected): count live instead."""


def answers(filters: dict[str, Any]) -> bool:
    """Whether the counts answer ``filters`` (the dashboard form's clean values): only the
    unfiltered dashboard, in any sort order."""
    return all(name == "sort" or value == [] or value is False for name, value in filters.items())


def figures_from_counts(user: Any, *, today: datetime.date, now: datetime.datetime) -> Any:
    """``(figures, team_rows)`` of every item ``user`` may see, as ``dashboard_summary``
    gives them; None where the counts cannot say (then the caller counts live)."""
    if (
        connection.vendor != "postgresql"
        or not user.is_authenticated
        or timezone.get_current_timezone_name() != settings.TIME_ZONE
        or timezone.localdate(now) != today
    ):
        return None
    rows, histogram = _read(user, today, now)
    stale = sorted(
        {
            row["team_id"]
            for row in rows
            if row["src"] == 0 and (row["day"] != today or row["zone"] != settings.TIME_ZONE)
        }
    )
    if stale:
        dashboard_counts_rebuild(team_ids=stale[:REBUILD_ON_READ], day=today)
        if len(stale) > REBUILD_ON_READ:
            return None
        rows, histogram = _read(user, today, now)
    # Each row's counts are a tuple in FIGURES' order: summed column by column (zip, sum),
    # not figure by figure through dicts (two hundred teams times sixty figures).
    teams: dict[int, list[Any]] = {}  # team id -> [counts, oldest open, name]
    for row in rows:
        if row["team_id"] is None:  # the first day of "completed in the last 30 days"
            continue
        team = teams.get(row["team_id"])
        if team is None:
            teams[row["team_id"]] = [row["counts"], row["oldest_open"], row["team__name"]]
            continue
        team[0] = tuple(map(operator.add, team[0], row["counts"]))
        if row["oldest_open"] is not None and (team[1] is None or row["oldest_open"] < team[1]):
            team[1] = row["oldest_open"]
    columns = zip(*(row["counts"] for row in rows), strict=True)
    totals = (
        dict(zip(FIGURES, map(sum, columns), strict=True)) if rows else dict.fromkeys(FIGURES, 0)
    )
    try:
        median = _median(user, totals["closed"], histogram) if totals["closed"] else None
    except CountsDisagree:
        return None
    # In the teams' name order (the database's collation), then most urgent first, as the
    # live query orders them.
    ordered = sorted(
        (
            {"team_id": team_id, "team__name": name, "oldest_open": oldest, **_team_figures(counts)}
            for team_id, (counts, oldest, name) in teams.items()
            if counts[_TOTAL]
        ),
        key=lambda team: (-team["overdue"], -team["open"]),
    )
    return _figures(totals, median, today), _team_rows(ordered, today)


# The restricted postmortems' items, and with ``= ANY`` those among them a reader may see.
_RESTRICTED = "(SELECT id FROM postmortems_postmortem WHERE restricted)"
# Days from creation to completion, as ``expressions.DaysBetween`` writes it (and as the
# days-to-close index and the close days are made of).
_DAYS = "(EXTRACT(EPOCH FROM (i.completed_at - i.created_at)) / 86400.0)"
_CLOSED = "i.status IN ('done', 'wont_do') AND i.completed_at IS NOT NULL"


def _visible(restricted: list[int] | None) -> tuple[str, list[Any]]:
    """A condition on items ``i``: what a reader whose readable restricted postmortems are
    ``restricted`` (``restricted_visible_ids``; None: all) may see, and its parameters."""
    if restricted is None:
        return "true", []
    return f"(i.postmortem_id NOT IN {_RESTRICTED} OR i.postmortem_id = ANY(%s))", [restricted]


def _read(
    user: Any, today: datetime.date, now: datetime.datetime
) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """One statement: the stored counts per team (with the day they are of), the restricted
    items ``user`` may read counted per team (by the function the triggers count with),
    the first day of "completed in the last 30 days", and the close days (stored, and of
    those restricted items). Returns the rows (each team's with its name, in name order)
    and the close days as ``{whole tenths of a day: items}``."""
    restricted = restricted_visible_ids(user)
    columns = ", ".join(DASHBOARD_COUNT_COLUMNS)
    stored = ", ".join(f"coalesce(c.{column}, 0)" for column in DASHBOARD_COUNT_COLUMNS)
    no_counts = ", ".join("0" for _column in DASHBOARD_COUNT_COLUMNS)
    none = "NULL::integer[], NULL::integer[]"
    parts = [
        # Every team counted (or to be counted: a team's first item makes its row), with
        # the day its counts are of.
        f"SELECT 0 AS src, d.team_id, d.day, d.zone, {none}, {stored}, c.oldest_open "
        "FROM actions_dashboardday d LEFT JOIN actions_dashboardcounts c "
        "ON c.team_id = d.team_id" + ("" if restricted is None else " AND NOT c.restricted"),
        f"SELECT 3, NULL, NULL, NULL, array_agg(tenths), array_agg(items), {no_counts}, NULL "
        "FROM actions_dashboardclosedays" + ("" if restricted is None else " WHERE NOT restricted"),
    ]
    params: list[Any] = []
    if restricted:
        parts += [
            # Counted by a function (migration 0013) whose statement, the item function's
            # fifty conditions inlined, is planned once per connection rather than here.
            f"SELECT 1, g.team_id, NULL, NULL, {none}, {columns}, g.oldest_open "
            "FROM actions_dashboard_restricted_counts(%s::bigint[], %s, %s) AS g",
            f"SELECT 3, NULL, NULL, NULL, array_agg(l.tenths), array_agg(l.items), {no_counts}, "
            f"NULL FROM (SELECT floor({_DAYS} * 10)::integer AS tenths, "
            f"COUNT(*)::integer AS items FROM actions_actionitem i WHERE {_CLOSED} "
            "AND i.postmortem_id = ANY(%s) GROUP BY 1) AS l",
        ]
        params += [restricted, today, settings.TIME_ZONE, restricted]
    # Done since ``now`` minus 30 days but before the end of today minus 30 days: the
    # counts hold those done later (the same instant for the whole day).
    first = day_start(today + datetime.timedelta(days=1)) - datetime.timedelta(days=30)
    first_day = ", ".join(
        "COUNT(*)" if name == "completed_30" else "0" for name in DASHBOARD_COUNT_COLUMNS
    )
    visible, visible_params = _visible(restricted)
    parts.append(
        f"SELECT 2, NULL, NULL, NULL, {none}, {first_day}, NULL FROM actions_actionitem i "
        "WHERE i.status = 'done' AND i.completed_at >= %s AND i.completed_at < %s "
        f"AND {visible}"
    )
    params += [now - datetime.timedelta(days=30), first, *visible_params]
    sql = (
        f"SELECT u.*, t.name AS team__name FROM ({' UNION ALL '.join(parts)}) AS u "
        f"LEFT JOIN {Team._meta.db_table} t ON t.id = u.team_id ORDER BY t.name, t.id"
    )
    width = len(FIGURES)
    rows: list[dict[str, Any]] = []
    histogram: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # Columns: src, team_id, day, zone, the close days' two arrays, the counts in
        # FIGURES' order, the oldest open item, the team's name.
        for values in cursor.fetchall():
            if values[0] == 3:
                pairs = zip(values[4] or (), values[5] or (), strict=True)
                for tenths, items in pairs:
                    histogram[tenths] = histogram.get(tenths, 0) + items
            else:
                rows.append(
                    {
                        "src": values[0],
                        "team_id": values[1],
                        "day": values[2],
                        "zone": values[3],
                        "counts": values[6 : 6 + width],
                        "oldest_open": values[6 + width],
                        "team__name": values[7 + width],
                    }
                )
    return rows, histogram


def _median(user: Any, count: int, histogram: dict[int, int]) -> datetime.timedelta:
    """The median time to close of the ``count`` closed items ``user`` may see, exactly as
    ``percentile_cont(0.5)`` gives it: the close days say which tenth(s) of a day hold the
    middle item(s); one read of that stretch of the days-to-close index finds them."""
    low_rank, high_rank = (count - 1) // 2, count // 2
    seen, low, high, offset = 0, None, None, 0
    for tenths in sorted(histogram):
        items = histogram[tenths]
        if low is None and low_rank < seen + items:
            low, offset = tenths, low_rank - seen
        if high_rank < seen + items:
            high = tenths
            break
        seen += items
    if low is None or high is None:
        raise CountsDisagree(count)
    visible, visible_params = _visible(restricted_visible_ids(user))
    wanted = 1 + high_rank - low_rank
    with connection.cursor() as cursor:
        # Exact decimals (not floats) for the bounds, as the database computes the tenths.
        cursor.execute(
            f"SELECT {_DAYS}::double precision FROM actions_actionitem i "
            f"WHERE {_CLOSED} AND {_DAYS} >= %s AND {_DAYS} < %s AND {visible} "
            f"ORDER BY {_DAYS} OFFSET %s LIMIT %s",
            [Decimal(low) / 10, Decimal(high + 1) / 10, *visible_params, offset, wanted],
        )
        values = [row[0] for row in cursor.fetchall()]
    if len(values) != wanted:
        raise CountsDisagree(count)
    # percentile_cont's interpolation between the two middle values, in the same floats.
    return datetime.timedelta(days=values[0] + (values[-1] - values[0]) * 0.5)


def dashboard_figures(
    user: Any,
    filters: dict[str, Any],
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Any:
    """The dashboard's ``(figures, team_rows)`` for ``user`` and the form's clean
    ``filters``: from the stored counts when they answer, else by the live query."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    if answers(filters):
        result = figures_from_counts(user, today=today, now=now)
        if result is not None:
            return result
    return dashboard_summary(dashboard_items(user, filters, today=today), today=today, now=now)
