"""The week in progress on the Kaizen page: counted live, so this week's incidents show
before Monday's roll-up. The stored weekly roll-up stays what it was (finished weeks only);
this adds the current week's counts on read, marked "so far" on the page."""

from django.utils import timezone

from postmortems.models import Theme

from ..models import ThemeRollup
from .periods import week_of, zone
from .rollup import _counts
from .trends import ThemeTrend


def current_week(now=None):
    """(Monday, Sunday) of the week in progress, and today, in ``settings.TIME_ZONE``."""
    today = timezone.localtime(now or timezone.now(), zone()).date()
    monday, sunday = week_of(today)
    return monday, sunday, today


def add_current_week(trends, periods, *, team=None, with_restricted=True, today, open_items=None):
    """``trends`` (ranked ``ThemeTrend``) with the last period — the week in
    progress — counted from Monday through ``today``. Returns the list re-ranked.

    ``open_items`` (``open_item_counts`` of the same team and day), when the caller has
    them, give the action counts, so the open items are not counted a second time."""
    start = periods[-1][0]
    last = len(periods) - 1
    team_id = team.pk if team is not None else None
    counts = _counts(
        start,
        today,
        with_restricted=with_restricted,
        with_actions=open_items is None,
        team_id=team_id,
    )
    if open_items is not None:
        for theme_id, items in open_items.items():
            week_open, week_overdue = (
                (items.week_open, items.week_overdue)
                if with_restricted
                else (items.week_open_unrestricted, items.week_overdue_unrestricted)
            )
            if week_open:
                c = counts[(theme_id, team_id)]
                c.open, c.overdue = week_open, week_overdue
    live = {theme_id: c for (theme_id, t_id), c in counts.items() if t_id == team_id}
    by_theme = {t.theme_id: t for t in trends}
    missing = [t for t, c in live.items() if c.postmortems and t not in by_theme]
    names, earlier = {}, set()
    if missing:
        names = dict(Theme.objects.filter(pk__in=missing).values_list("pk", "name"))
        earlier = set(
            ThemeRollup.objects.filter(
                theme_id__in=missing,
                period_start__lt=start,
                team_id=team_id,
                **{"postmortem_count__gt" if with_restricted else "open_postmortem_count__gt": 0},
            ).values_list("theme_id", flat=True)
        )
    for theme_id, c in live.items():
        trend = by_theme.get(theme_id)
        if trend is None:
            if not c.postmortems or theme_id not in names:
                continue
            trend = by_theme[theme_id] = ThemeTrend(
                theme_id, names[theme_id], [0] * len(periods), seen_before=theme_id in earlier
            )
        else:
            trend.seen_before = True  # ranked trends have postmortems in an earlier week
        trend.counts[last] = c.postmortems
        trend.factors += c.factors
        trend.latest_row = last
        trend.open_actions, trend.overdue_actions = c.open, c.overdue
    ranked = [t for t in by_theme.values() if t.total]
    ranked.sort(key=lambda t: (-t.periods_with_incidents, -t.total, t.name.lower()))
    return ranked
