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

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import DecimalField, FloatField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from postmortems.dates import day_start
from postmortems.models import Postmortem, Team

from ..models import DASHBOARD_COUNT_COLUMNS, ActionItem
from ..services.dashboard_counts import dashboard_counts_rebuild
from .cache import restricted_visible_ids
from .expressions import DaysBetween, is_closed
from .figures import (
    _count_conditions,
    _figures,
    _team_rows,
    dashboard_summary,
    grouped_counts_sql,
)
from .filters import dashboard_items

# A read counts again at most this many teams whose counts are of an earlier day; with more
# (the first read after midnight, before the beat entry ran) it counts live this once.
REBUILD_ON_READ = 10

# The figure each column holds (``_count_conditions()`` and the columns share their order).
COLUMN_FIGURES = dict(zip(DASHBOARD_COUNT_COLUMNS, _count_conditions(), strict=True))
_FIXED = ("src", "team_id", "day", "zone")


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
    totals = dict.fromkeys(_count_conditions(), 0)
    teams: dict[int, dict[str, Any]] = {}
    for row in rows:
        for key in totals:
            totals[key] += row[key]
        if row["team_id"] is None:  # the first day of "completed in the last 30 days"
            continue
        team = teams.get(row["team_id"])
        if team is None:
            teams[row["team_id"]] = dict(row)
            continue
        for key in totals:
            team[key] += row[key]
        if row["oldest_open"] is not None and (
            team["oldest_open"] is None or row["oldest_open"] < team["oldest_open"]
        ):
            team["oldest_open"] = row["oldest_open"]
    try:
        median = _median(user, totals["closed"], histogram) if totals["closed"] else None
    except CountsDisagree:
        return None
    # In the teams' name order (the database's collation), then most urgent first, as the
    # live query orders them.
    ordered = sorted(
        (team for team in teams.values() if team["total"]),
        key=lambda team: (-team["overdue"], -team["open"]),
    )
    return _figures(totals, median, today), _team_rows(ordered, today)


def _read(
    user: Any, today: datetime.date, now: datetime.datetime
) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """One statement: the stored counts per team (with the day they are of), the restricted
    items ``user`` may read counted live per team, the first day of "completed in the last
    30 days" counted live, and the close days (stored, and live for those restricted
    items). Returns the rows (each team's with its name, in name order) and the close
    days as ``{whole tenths of a day: items}``."""
    figures = list(COLUMN_FIGURES.values())
    restricted = restricted_visible_ids(user)
    stored = ", ".join(f"coalesce(c.{column}, 0)" for column in DASHBOARD_COUNT_COLUMNS)
    no_counts = ", ".join("0" for _column in DASHBOARD_COUNT_COLUMNS)
    none = "NULL::integer[], NULL::integer[]"
    unrestricted_only = "" if restricted is None else " WHERE NOT restricted"
    parts = [
        # Every team counted (or to be counted: a team's first item makes its row), with
        # the day its counts are of.
        f"SELECT 0 AS src, d.team_id, d.day, d.zone, {none}, {stored}, c.oldest_open "  # noqa: S608 -- names only
        "FROM actions_dashboardday d LEFT JOIN actions_dashboardcounts c "
        "ON c.team_id = d.team_id" + ("" if restricted is None else " AND NOT c.restricted"),
        f"SELECT 3, NULL, NULL, NULL, array_agg(tenths), array_agg(items), {no_counts}, NULL "  # noqa: S608
        "FROM actions_dashboardclosedays" + unrestricted_only,
    ]
    params: list[Any] = []
    if restricted:
        items = ActionItem.objects.filter(postmortem_id__in=restricted)
        grouped, grouped_params, _using = grouped_counts_sql(items, today, now)
        live = ", ".join(f"g.{connection.ops.quote_name(name)}" for name in figures)
        closed = (
            items.filter(is_closed())
            .annotate(day_count=DaysBetween("completed_at", "created_at"))
            .values_list("day_count", flat=True)
            .order_by()
        )
        closed_sql, closed_params = closed.query.get_compiler(using=closed.db).as_sql()
        parts += [
            f"SELECT 1, g.team_id, NULL, NULL, {none}, {live}, g.oldest_open "  # noqa: S608
            f"FROM ({grouped}) AS g",
            f"SELECT 3, NULL, NULL, NULL, array_agg(l.days), array_agg(l.items), {no_counts}, "  # noqa: S608
            "NULL FROM (SELECT floor(c.day_count * 10)::integer AS days, "
            "COUNT(*)::integer AS items "
            f"FROM ({closed_sql}) AS c GROUP BY 1) AS l",
        ]
        params += [*grouped_params, *closed_params]
    # Done since ``now`` minus 30 days but before the end of today minus 30 days: the
    # stored counts hold those done later (the same instant for the whole day).
    first = day_start(today + datetime.timedelta(days=1)) - datetime.timedelta(days=30)
    first_day = ", ".join(
        "COUNT(*)" if name == "completed_30" else "0" for name in DASHBOARD_COUNT_COLUMNS
    )
    parts.append(
        f"SELECT 2, NULL, NULL, NULL, {none}, {first_day}, NULL "  # noqa: S608 -- names only
        "FROM actions_actionitem i "
        "WHERE i.status = 'done' AND i.completed_at >= %s AND i.completed_at < %s"
        + (
            ""
            if restricted is None
            else " AND i.postmortem_id NOT IN "
            "(SELECT id FROM postmortems_postmortem WHERE restricted)"
        )
    )
    params += [now - datetime.timedelta(days=30), first]
    team = Team._meta.db_table
    sql = (
        f"SELECT u.*, t.name AS team__name FROM ({' UNION ALL '.join(parts)}) AS u "  # noqa: S608
        f"LEFT JOIN {team} t ON t.id = u.team_id ORDER BY t.name, t.id"
    )
    names = [*_FIXED, "close_days", "close_items", *figures, "oldest_open", "team__name"]
    rows, histogram = [], {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            if row["src"] == 3:
                for days, items in zip(
                    row["close_days"] or (), row["close_items"] or (), strict=True
                ):
                    histogram[days] = histogram.get(days, 0) + items
            else:
                rows.append(row)
    return rows, histogram


def _tenths(tenths: int) -> Value:
    return Value(Decimal(tenths) / 10, output_field=DecimalField())


def _median(user: Any, count: int, histogram: dict[int, int]) -> datetime.timedelta:
    """The median time to close of the ``count`` closed items ``user`` may see, exactly as
    ``percentile_cont(0.5)`` gives it: the close days say which tenth(s) of a day hold the
    middle item(s); one read of that stretch of the days-to-close index finds them."""
    low_rank, high_rank = (count - 1) // 2, count // 2
    seen, low_day, high_day, offset = 0, None, None, 0
    for day in sorted(histogram):
        items = histogram[day]
        if low_day is None and low_rank < seen + items:
            low_day, offset = day, low_rank - seen
        if high_rank < seen + items:
            high_day = day
            break
        seen += items
    if low_day is None or high_day is None:
        raise CountsDisagree(count)
    days = DaysBetween("completed_at", "created_at")
    items = ActionItem.objects.filter(is_closed())
    restricted = restricted_visible_ids(user)
    if restricted is not None:
        hidden = Postmortem.objects.filter(restricted=True).exclude(pk__in=restricted)
        items = items.exclude(postmortem__in=hidden.values("pk"))
    values = list(
        items.annotate(day_count=days)
        # Exact decimals (not floats), as the database computes the tenths.
        .filter(day_count__gte=_tenths(low_day), day_count__lt=_tenths(high_day + 1))
        .order_by("day_count")
        .annotate(value=Cast(days, FloatField()))
        .values_list("value", flat=True)[offset : offset + 1 + high_rank - low_rank]
    )
    if len(values) != 1 + high_rank - low_rank:
        raise CountsDisagree(count)
    low, high = values[0], values[-1]
    # percentile_cont's interpolation between the two middle values, in the same floats.
    return datetime.timedelta(days=low + (high - low) * 0.5)


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
