"""The week in progress on the Kaizen page: counted live, so this week's incidents show
before Monday's roll-up. The stored weekly roll-up stays what it was (finished weeks only);
this adds the current week's counts on read, marked "so far" on the page."""

import datetime

from django.db import connection
from django.db.models import BooleanField, Count, DateField, Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from postmortems.models import ContributingFactor, Postmortem, Theme

from ..models import ThemeRollup
from .periods import day_start, week_of, zone
from .rollup import _counts, restricted_filter
from .trends import ThemeTrend, rank, ranked, rollup_count_fields, rollup_rows


def current_week(now=None):
    """(Monday, Sunday) of the week in progress, and today, in ``settings.TIME_ZONE``."""
    today = timezone.localtime(now or timezone.now(), zone()).date()
    monday, sunday = week_of(today)
    return monday, sunday, today


def week_rows(start, today, *, team=None, with_restricted=True):
    """This week's postmortems and factors per theme, from ``start`` (Monday) through
    ``today``, as rows shaped like ``trends.rollup_rows`` (live True, no action counts: the
    caller has them from ``open_item_counts``), so both are read in one query.

    ``seen before``: the theme has postmortems in a roll-up row before this week (of the
    same scope, without restricted postmortems unless ``with_restricted``)."""
    through = ContributingFactor.themes.through
    at = Coalesce(
        "contributingfactor__postmortem__started_at", "contributingfactor__postmortem__created_at"
    )
    rows = (
        through.objects.annotate(at=at)
        .filter(at__gte=day_start(start), at__lt=day_start(today + datetime.timedelta(days=1)))
        .filter(restricted_filter("contributingfactor__postmortem__", with_restricted))
    )
    if team is not None:
        rows = rows.filter(contributingfactor__postmortem__team=team)
    count = "postmortem_count" if with_restricted else "open_postmortem_count"
    earlier = ThemeRollup.objects.filter(
        team=team, theme_id=OuterRef("theme_id"), period_start__lt=start, **{f"{count}__gt": 0}
    )
    zero = Value(0)
    return (
        rows.values("theme_id", theme_name=F("theme__name"))
        .annotate(
            period_start=Value(start, output_field=DateField()),
            postmortems=Count("contributingfactor__postmortem_id", distinct=True),
            factors=Count("contributingfactor_id"),
            open=zero,
            overdue=zero,
            seen_before=Exists(earlier),
            live=Value(True, output_field=BooleanField()),
        )
        .values_list(
            "theme_id",
            "theme_name",
            "period_start",
            "postmortems",
            "factors",
            "open",
            "overdue",
            "seen_before",
            "live",
        )
        .order_by()
    )


def trends_with_current_week(periods, *, team=None, with_restricted=True, today, open_items):
    """``trends.trends`` of ``periods`` whose last period is the week in progress, counted
    through ``today``: the roll-up rows and this week's counts in one query; the week's
    action counts from ``open_items`` (``open_item_counts`` of the same team and day)."""
    start = periods[-1][0]
    if connection.vendor == "postgresql":
        rows = _rows_postgresql(periods, today, team=team, with_restricted=with_restricted)
    else:
        # A roll-up row of this week (a roll-up run by hand before the week ended) is
        # replaced by the live counts.
        stored_rows = rollup_rows(periods, team=team, with_restricted=with_restricted)
        rows = stored_rows.exclude(period_start=start).union(
            week_rows(start, today, team=team, with_restricted=with_restricted), all=True
        )
    stored, live = [], []
    for row in rows:
        (live if row[-1] else stored).append(row)
    return _add_week(
        rank(periods, stored), periods, live, _week_actions(open_items, with_restricted)
    )


def _rows_postgresql(periods, today, *, team, with_restricted):
    """The rows of ``rollup_rows`` (but this week's) and ``week_rows`` in one statement,
    written out: the same query as the ORM's union, without building and compiling two
    querysets with subqueries on every request (most of the page's Python time)."""
    start = periods[-1][0]
    postmortems, factors, open_, overdue = rollup_count_fields(with_restricted)
    rollups = ThemeRollup._meta.db_table
    themes = Theme._meta.db_table
    links = ContributingFactor.themes.through._meta.db_table
    factor_table = ContributingFactor._meta.db_table
    postmortem_table = Postmortem._meta.db_table
    team_id = team.pk if team is not None else None

    def scope(alias):
        return f"{alias}.team_id IS NULL" if team is None else f"{alias}.team_id = %s"

    team_params = () if team is None else (team_id,)
    # A row that only counts restricted postmortems does not exist for this reader.
    shown = "" if with_restricted else f"AND (r.{postmortems} > 0 OR r.{open_} > 0)"
    restricted = "" if with_restricted else "AND NOT p.restricted"
    own_team = "" if team is None else "AND p.team_id = %s"
    earlier_count = "postmortem_count" if with_restricted else "open_postmortem_count"
    sql = f"""
        SELECT r.theme_id, t.name, r.period_start, r.{postmortems}, r.{factors}, r.{open_},
               r.{overdue},
               EXISTS (SELECT 1 FROM {rollups} e
                       WHERE {scope("e")} AND e.theme_id = r.theme_id
                       AND e.period_start < %s AND e.{postmortems} > 0),
               false
        FROM {rollups} r JOIN {themes} t ON t.id = r.theme_id
        WHERE {scope("r")} AND r.period_start = ANY(%s) AND r.period_start <> %s {shown}
        UNION ALL
        SELECT ft.theme_id, t.name, %s::date, COUNT(DISTINCT f.postmortem_id), COUNT(f.id), 0, 0,
               EXISTS (SELECT 1 FROM {rollups} e
                       WHERE {scope("e")} AND e.theme_id = ft.theme_id
                       AND e.period_start < %s AND e.{earlier_count} > 0),
               true
        FROM {links} ft
        JOIN {factor_table} f ON f.id = ft.contributingfactor_id
        JOIN {postmortem_table} p ON p.id = f.postmortem_id
        JOIN {themes} t ON t.id = ft.theme_id
        WHERE COALESCE(p.started_at, p.created_at) >= %s
          AND COALESCE(p.started_at, p.created_at) < %s {restricted} {own_team}
        GROUP BY ft.theme_id, t.name
    """  # noqa: S608 (table and column names only; values are parameters)
    params = (
        *team_params,
        start,
        *team_params,
        [first for first, _last in periods],
        start,
        start,
        *team_params,
        start,
        day_start(start),
        day_start(today + datetime.timedelta(days=1)),
        *team_params,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def add_current_week(trends, periods, *, team=None, with_restricted=True, today, open_items=None):
    """``trends`` (ranked ``ThemeTrend``) with the last period — the week in
    progress — counted from Monday through ``today``. Returns the list re-ranked.

    ``open_items`` (``open_item_counts`` of the same team and day), when the caller has
    them, give the action counts; without them the items are counted here."""
    start = periods[-1][0]
    live = list(week_rows(start, today, team=team, with_restricted=with_restricted))
    if open_items is not None:
        actions = _week_actions(open_items, with_restricted)
    else:
        team_id = team.pk if team is not None else None
        counted = _counts(start, today, with_restricted=with_restricted, team_id=team_id)
        actions = {theme_id: (c.open, c.overdue) for (theme_id, _), c in counted.items() if c.open}
    return _add_week(trends, periods, live, actions)


def _week_actions(open_items, with_restricted):
    """``{theme_id: (open, overdue)}`` of the week in progress, from ``open_item_counts``."""
    actions = {}
    for theme_id, items in open_items.items():
        if with_restricted:
            week_open, week_overdue = items.week_open, items.week_overdue
        else:
            week_open, week_overdue = items.week_open_unrestricted, items.week_overdue_unrestricted
        if week_open:
            actions[theme_id] = (week_open, week_overdue)
    return actions


def _add_week(trends, periods, live, actions):
    """``trends`` with the last period filled from ``live`` rows (``week_rows``) and
    ``actions`` (``{theme_id: (open, overdue)}``), re-ranked. Every theme's action counts
    are then this week's (none open: zero), as of today."""
    last = len(periods) - 1
    by_theme = {t.theme_id: t for t in trends}
    for trend in trends:
        # A theme with postmortems in an earlier week of the range is not new this week.
        trend.seen_before = trend.seen_before or any(trend.counts[:last])
        trend.counts[last] = 0
    for theme_id, name, _start, postmortems, factors, _open, _overdue, seen, _live in live:
        trend = by_theme.get(theme_id)
        if trend is None:
            if not postmortems:
                continue
            trend = by_theme[theme_id] = ThemeTrend(
                theme_id, name, [0] * len(periods), seen_before=seen
            )
        trend.counts[last] = postmortems
        trend.factors += factors
    for theme_id, trend in by_theme.items():
        trend.latest_row = last
        trend.open_actions, trend.overdue_actions = actions.get(theme_id, (0, 0))
    return ranked(by_theme.values())
