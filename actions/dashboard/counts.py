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
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, overload

from django.conf import settings
from django.db import connection
from django.utils import timezone

from postmortems.dates import day_start
from postmortems.models import Team

from ..models import DASHBOARD_COUNT_COLUMNS
from ..services.dashboard_counts import dashboard_counts_rebuild
from .cache import RESTRICTED_VISIBLE_ATTR, restricted_visible_ids, restricted_visible_sql
from .figures import (
    _count_conditions,
    _figures,
    dashboard_summary,
    team_row,
)
from .filters import dashboard_items, unfiltered
from .prepared import server_side_cursor

# A read counts again at most this many teams whose counts are of an earlier day; with more
# (the first read after midnight, before the beat entry ran) it counts live this once.
REBUILD_ON_READ = 10

# The figure each column holds (``_count_conditions()`` and the columns share their order).
COLUMN_FIGURES = dict(zip(DASHBOARD_COUNT_COLUMNS, _count_conditions(), strict=True))
FIGURES = tuple(COLUMN_FIGURES.values())

# What the per-team table reads of a team's counts (``figures._team_rows``), with the total
# (a team without items has no row): the columns each team's row brings, in this order
# (``_ordered_team_rows`` unpacks them in it).
TEAM_FIGURES = ("total", "open", "overdue", "done", "done_on_time")


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _instant(microseconds: int) -> datetime.datetime:
    """A time the statement sent as whole microseconds since the epoch (exact, and a
    fifth of the cost of parsing two hundred timestamps with their zones)."""
    return _EPOCH + datetime.timedelta(microseconds=microseconds)


class CountsDisagree(Exception):
    """The close days and the items disagree (never expected): count live instead."""


def answers(filters: dict[str, Any]) -> bool:
    """Whether the counts answer ``filters`` (the dashboard form's clean values): only the
    unfiltered dashboard, in any sort order."""
    return unfiltered(filters)


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
    rows, sums, histogram, middle = _read(user, today, now)
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
        rows, sums, histogram, middle = _read(user, today, now)
    # A team's stored row and its restricted items' row are added up; the totals of every
    # figure come summed by the database.
    # team id -> [counts, oldest open item (microseconds since the epoch), name]
    teams: dict[int, list[Any]] = {}
    for row in rows:
        team = teams.get(row["team_id"])
        if team is None:
            teams[row["team_id"]] = [row["counts"], row["oldest_open"], row["team__name"]]
            continue
        team[0] = tuple(map(operator.add, team[0], row["counts"]))
        if row["oldest_open"] is not None and (team[1] is None or row["oldest_open"] < team[1]):
            team[1] = row["oldest_open"]
    totals = dict(zip(FIGURES, sums, strict=True))
    try:
        if not totals["closed"]:
            median = None
        elif middle is not None:  # read with the counts
            median = _median_read(totals["closed"], *middle)
        else:
            median = _median(user, totals["closed"], histogram)
    except CountsDisagree:
        return None
    return _figures(totals, median, today), _ordered_team_rows(teams, today)


class TeamRows(Sequence[dict[str, Any]]):
    """The per-team table's rows (``figures.team_row``), most urgent first: a sequence that
    makes a team's row when it is first read. The dashboard shows the first twenty of two
    hundred teams unless asked for all; the order needs only two counts per team. Equal to
    a list of the same rows (the live query's)."""

    def __init__(self, teams: list[tuple[Any, ...]], today: datetime.date) -> None:
        # Each entry: (team id, name, open, overdue, done, done on time, oldest open item
        # in microseconds since the epoch or None).
        self._teams = teams
        self._rows: list[dict[str, Any] | None] = [None] * len(teams)
        self._today = today
        self._zone = timezone.get_current_timezone()  # once, not per team

    def __len__(self) -> int:
        return len(self._teams)

    def _row(self, index: int) -> dict[str, Any]:
        row = self._rows[index]
        if row is None:
            team_id, name, open_, overdue, done, done_on_time, oldest = self._teams[index]
            row = self._rows[index] = team_row(
                team_id,
                name,
                open_,
                overdue,
                done,
                done_on_time,
                None if oldest is None else _instant(oldest),
                today=self._today,
                zone=self._zone,
            )
        return row

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self._teams)))]
        return self._row(range(len(self._teams))[index])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # (mutable, as the list it stands for)

    def __repr__(self) -> str:
        return f"TeamRows({list(self)!r})"


def _ordered_team_rows(teams: dict[int, list[Any]], today: datetime.date) -> TeamRows:
    """The per-team table's rows of the teams with items, ``teams`` being ``{team id:
    [counts, oldest open item, name]}`` in the teams' name order (the database's
    collation): most urgent first, then in that order, as the live query orders them."""
    entries = []
    for team_id, (counts, oldest, name) in teams.items():
        total, open_, overdue, done, done_on_time = counts
        if total:
            entries.append((team_id, name, open_, overdue, done, done_on_time, oldest))
    entries.sort(key=lambda entry: (-entry[3], -entry[2]))
    return TeamRows(entries, today)


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


# In ``_read``'s statement, the reader's readable restricted postmortems (its first part).
# (a scalar subquery: "= ANY((SELECT ...))" would compare each item with the array itself).
_READABLE = "(SELECT ids FROM r)::bigint[]"


def _readable(user: Any) -> tuple[str, list[Any]] | None:
    """``_read``'s first part, ``r``: one array, ``ids``, of the restricted postmortems
    ``user`` may read, sorted; those of the request when already read, else read here by
    ``restricted_visible_ids``' query (one statement rather than two). None for superusers,
    who see all."""
    if user.is_superuser:
        return None
    known = getattr(user, RESTRICTED_VISIBLE_ATTR, None)
    if known is not None:
        return "r AS (SELECT %s::bigint[] AS ids)", [known]
    sql, params = restricted_visible_sql(user)
    return f"r AS (SELECT ARRAY(SELECT s.pk FROM ({sql}) AS s ORDER BY 1)::bigint[] AS ids)", [
        *params
    ]


# What ``_read`` returns: the teams' rows, the sums, the close days, and (when the
# statement found it) the median's middle values with how many items the close days hold.
Read = tuple[
    list[dict[str, Any]], tuple[int, ...], dict[int, int], tuple[int, list[float] | None] | None
]


def _read(user: Any, today: datetime.date, now: datetime.datetime) -> Read:
    """One statement: the stored counts per team (with the day they are of), the restricted
    items ``user`` may read counted per team (by the function the triggers count with),
    the first day of "completed in the last 30 days", and the close days (stored, and of
    those restricted items).

    Returns the teams' rows (each with the day it is of, the team's name, the per-team
    table's counts, ``TEAM_FIGURES``, and its oldest open item in microseconds since the
    epoch; in name order), every figure summed over them in
    FIGURES' order, and the close days as ``{whole tenths of a day: items}``, or (for a
    reader who is not a superuser) the median's middle values instead. The database
    adds up the sixty figures: two hundred teams' rows of sixty numbers were half the
    statement's time on the client's side (sent, then parsed). For a reader who is not a
    superuser, all but ``r`` runs in a function planned once per connection (planning the
    statement took a third of its time in the database), which also reads the median's
    middle values (``_median``'s second statement)."""
    readable = _readable(user)
    if readable is None:
        sql, params = _statement(None, today, now)
    else:
        sql, params = _read_restricted(readable, today, now)
    return _fetch(user, sql, params)


def _statement(
    readable: tuple[str, list[Any]] | None, today: datetime.date, now: datetime.datetime
) -> tuple[str, list[Any]]:
    """``_read``'s statement written out whole, with ``r`` (``_readable``) when the reader
    is not a superuser: sent as is for superusers; for other readers the function of
    migration 0016 runs the same statement (with the median's middle values in place of
    the close days)."""
    restricted = readable is not None
    columns = ", ".join(DASHBOARD_COUNT_COLUMNS)
    stored = ", ".join(f"coalesce(c.{column}, 0)" for column in DASHBOARD_COUNT_COLUMNS)
    names = f"src, team_id, day, zone, {columns}, oldest_open"
    parts = [
        # Every team counted (or to be counted: a team's first item makes its row), with
        # the day its counts are of.
        f"SELECT 0 AS src, d.team_id, d.day, d.zone, {stored}, c.oldest_open "
        "FROM actions_dashboardday d LEFT JOIN actions_dashboardcounts c "
        "ON c.team_id = d.team_id" + (" AND NOT c.restricted" if restricted else ""),
    ]
    close_days = [
        "SELECT array_agg(tenths), array_agg(items) FROM actions_dashboardclosedays"
        + (" WHERE NOT restricted" if restricted else ""),
    ]
    params: list[Any] = []
    if restricted:
        parts.append(
            # Counted by a function (migration 0015) whose statement, the item function's
            # fifty conditions inlined, is planned once per connection rather than here.
            f"SELECT 1, g.team_id, NULL, NULL, {columns}, g.oldest_open "
            f"FROM actions_dashboard_restricted_counts({_READABLE}, %s, %s) AS g"
        )
        params += [today, settings.TIME_ZONE]
        close_days.append(
            "SELECT array_agg(l.tenths), array_agg(l.items) "
            f"FROM (SELECT floor({_DAYS} * 10)::integer AS tenths, "
            f"COUNT(*)::integer AS items FROM actions_actionitem i WHERE {_CLOSED} "
            f"AND i.postmortem_id = ANY({_READABLE}) GROUP BY 1) AS l"
        )
    first_day = ", ".join(
        "COUNT(*)" if name == "completed_30" else "0" for name in DASHBOARD_COUNT_COLUMNS
    )
    visible = (
        f"(i.postmortem_id NOT IN {_RESTRICTED} OR i.postmortem_id = ANY({_READABLE}))"
        if restricted
        else "true"
    )
    parts.append(
        f"SELECT 2, NULL, NULL, NULL, {first_day}, NULL FROM actions_actionitem i "
        "WHERE i.status = 'done' AND i.completed_at >= %s AND i.completed_at < %s "
        f"AND {visible}"
    )
    params += _first_day(today, now)
    team_columns = ", ".join(f"u.{name}" for name in TEAM_FIGURES)
    sums = ", ".join(f"coalesce(SUM(u.{column}), 0)" for column in DASHBOARD_COUNT_COLUMNS)
    no_team = ", ".join("0" for _name in TEAM_FIGURES)
    # Columns: src, team_id, day, zone, two arrays (the sums; the close days), the team's
    # counts in TEAM_FIGURES' order, its oldest open item (microseconds), its name.
    first_parts = f"{readable[0]}, " if readable else ""
    sql = (
        f"WITH {first_parts}u ({names}) AS ({' UNION ALL '.join(parts)}) "
        "SELECT * FROM ("
        f"SELECT u.src, u.team_id, u.day, u.zone, NULL::bigint[], NULL::bigint[], "
        f"{team_columns}, (EXTRACT(EPOCH FROM u.oldest_open) * 1000000)::bigint, "
        f"t.name AS team__name FROM u "
        f"JOIN {Team._meta.db_table} t ON t.id = u.team_id "
        f"UNION ALL SELECT 4, NULL, NULL, NULL, ARRAY[{sums}]::bigint[], NULL, {no_team}, "
        "NULL, NULL FROM u "
        + "".join(
            f"UNION ALL SELECT 3, NULL, NULL, NULL, l.tenths::bigint[], l.items::bigint[], "
            f"{no_team}, NULL, NULL FROM ({part}) AS l (tenths, items) "
            for part in close_days
        )
        + (
            f"UNION ALL SELECT 5, NULL, NULL, NULL, r.ids, NULL, {no_team}, NULL, NULL FROM r "
            if restricted
            else ""
        )
        + ") AS rows ORDER BY rows.team__name, rows.team_id"
    )
    if readable:
        params = [*readable[1], *params]
    return sql, params


def _first_day(today: datetime.date, now: datetime.datetime) -> tuple[Any, Any]:
    """Done since ``now`` minus 30 days but before the end of today minus 30 days: the
    counts hold those done later (the same instant for the whole day)."""
    first = day_start(today + datetime.timedelta(days=1)) - datetime.timedelta(days=30)
    return now - datetime.timedelta(days=30), first


def _read_restricted(
    readable: tuple[str, list[Any]], today: datetime.date, now: datetime.datetime
) -> tuple[str, list[Any]]:
    """``_read``'s statement for a reader who is not a superuser: the reader's readable
    restricted postmortems (``r``), then the function of migration 0016, whose statements
    (``_read``'s own for such a reader, without the close days, and ``_median``'s) are
    planned once per connection rather than on every read."""
    no_team = ", ".join("0" for _name in TEAM_FIGURES)
    sql = (
        f"WITH {readable[0]} SELECT * FROM ("
        "SELECT f.* FROM r, actions_dashboard_read(r.ids, %s, %s, %s, %s) AS f "
        f"UNION ALL SELECT 5, NULL, NULL, NULL, r.ids, NULL, {no_team}, NULL, NULL, NULL "
        "FROM r"
        ") AS rows ORDER BY rows.team__name, rows.team_id"
    )
    return sql, [*readable[1], today, settings.TIME_ZONE, *_first_day(today, now)]


def _fetch(user: Any, sql: str, params: list[Any]) -> Read:
    """Runs ``_read``'s statement; its rows as ``_read`` returns them.

    Its text is the same on every read by the same kind of reader, the values apart: sent
    with server-side parameters, the connection prepares it once (planning it took a tenth
    of its time in the database, and the reader's restricted postmortems were planned
    every time)."""
    width = len(TEAM_FIGURES)
    rows: list[dict[str, Any]] = []
    sums_row: tuple[int, ...] = ()
    histogram: dict[int, int] = {}
    middle = None
    with server_side_cursor() as cursor:
        cursor.execute(sql, params)
        for values in cursor.fetchall():
            if values[0] == 6:
                middle = (values[4][0], values[8 + width])
            elif values[0] == 5:
                setattr(user, RESTRICTED_VISIBLE_ATTR, list(values[4]))
            elif values[0] == 4:
                sums_row = tuple(values[4])
            elif values[0] == 3:
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
    return rows, sums_row, histogram, middle


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
    return _interpolated(values)


def _median_read(count: int, items: int, values: list[float] | None) -> datetime.timedelta:
    """``_median`` from what the function of migration 0016 read: the middle values of the
    ``items`` closed items its close days hold, which must be the ``count`` of the
    counts."""
    wanted = 1 + count // 2 - (count - 1) // 2
    if items != count or values is None or len(values) != wanted:
        raise CountsDisagree(count)
    return _interpolated(values)


def _interpolated(values: list[float]) -> datetime.timedelta:
    """percentile_cont's interpolation between the two middle values, in the same floats."""
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
