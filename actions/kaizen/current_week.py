"""The week in progress on the Kaizen page: counted live, so this week's incidents show
before Monday's roll-up. The stored weekly roll-up stays what it was (finished weeks only);
this adds the current week's counts on read, marked "so far" on the page."""

import datetime

from django.db.models import BooleanField, Count, DateField, Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from postmortems.models import ContributingFactor

from ..models import ThemeRollup
from .periods import day_start, week_of, zone
from .rollup import _counts, restricted_filter
from .trends import ThemeTrend, rank, ranked, rollup_rows


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
    # A roll-up row of this week (a roll-up run by hand before the week ended) is replaced
    # by the live counts.
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
