"""Weekly theme roll-ups: the ThemeRollup rows of a week, aggregated in the database (one
grouped query for postmortems and factors, one for action items), so the cost does not
grow with the number of themes."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from postmortems.models import ContributingFactor

from ..models import ActionItem, ThemeRollup
from .periods import WEEK, as_date, day_start, last_completed_week_end

# The weekly task re-computes this many weeks, so late-written postmortems are counted.
REFRESH_WEEKS = 4


@dataclass
class RollupResult:
    period_start: datetime.date
    period_end: datetime.date
    rows: int


@dataclass
class _Counts:
    postmortems: int = 0
    previous: int = 0
    factors: int = 0
    open: int = 0
    overdue: int = 0

    def any(self):
        return bool(self.postmortems or self.previous or self.factors or self.open)


def rollup(period_end: datetime.date | str | None = None) -> RollupResult:
    """Write the ThemeRollup rows of the week ending on ``period_end`` (a date or ISO string;
    default: the last completed week). Re-running replaces the period's rows.

    Per theme, and per team plus one overall row (team empty): postmortems and factors of
    the week, action items linked to the theme's factors that were open (and overdue) when
    the week ended, and the change in postmortems against the week before.
    """
    end = as_date(period_end) or last_completed_week_end()
    start = end - datetime.timedelta(days=6)
    counts = _counts(start, end, with_restricted=True)
    open_counts = _counts(start, end, with_restricted=False)
    rows = []
    for (theme_id, team_id), c in counts.items():
        if not c.any():
            continue
        o = open_counts.get((theme_id, team_id)) or _Counts()
        rows.append(
            ThemeRollup(
                theme_id=theme_id,
                team_id=team_id,
                period_start=start,
                period_end=end,
                postmortem_count=c.postmortems,
                factor_count=c.factors,
                open_action_count=c.open,
                overdue_action_count=c.overdue,
                change=c.postmortems - c.previous,
                open_postmortem_count=o.postmortems,
                open_factor_count=o.factors,
                open_open_action_count=o.open,
                open_overdue_action_count=o.overdue,
            )
        )
    with transaction.atomic():
        ThemeRollup.objects.filter(period_start=start).delete()
        ThemeRollup.objects.bulk_create(rows, batch_size=1000)
    return RollupResult(start, end, len(rows))


# ``_counts`` for every team and overall (what the roll-up stores).
EACH_TEAM = object()


def _counts(start, end, *, with_restricted, with_actions=True, team_id=EACH_TEAM):
    """``{(theme_id, team_id or None): _Counts}`` of one week, with or without restricted
    postmortems. Two grouped queries (one without ``with_actions``: postmortems and factors
    only, for a caller that counts the items its own way).

    ``team_id`` None or a team's id: only that key per theme (overall, or the team's), the
    rows grouped by theme in the database rather than by team and summed here."""
    start_at, end_at = day_start(start), day_start(end + datetime.timedelta(days=1))
    previous_at = start_at - WEEK
    through = ContributingFactor.themes.through
    at = Coalesce(
        "contributingfactor__postmortem__started_at", "contributingfactor__postmortem__created_at"
    )
    current = Q(at__gte=start_at)
    each = team_id is EACH_TEAM
    factor_rows = (
        through.objects.annotate(at=at, team_id=F("contributingfactor__postmortem__team_id"))
        .filter(at__gte=previous_at, at__lt=end_at)
        .filter(restricted_filter("contributingfactor__postmortem__", with_restricted))
    )
    # Open when the week ended: created by then, and not closed by then (status is only
    # known as of now, so an item still open now counts; one closed later counted then).
    open_then = Q(created_at__lt=end_at) & (
        Q(status__in=ActionItem.OPEN_STATUSES) | Q(completed_at__gte=end_at)
    )
    action_rows = ActionItem.objects.filter(open_then, factor__themes__isnull=False).filter(
        restricted_filter("postmortem__", with_restricted)
    )
    if not each and team_id is not None:
        factor_rows = factor_rows.filter(team_id=team_id)
        action_rows = action_rows.filter(team_id=team_id)
    factor_rows = (
        factor_rows.values("theme_id", *(("team_id",) if each else ()))
        .annotate(
            postmortems=Count("contributingfactor__postmortem_id", distinct=True, filter=current),
            previous=Count("contributingfactor__postmortem_id", distinct=True, filter=~current),
            factors=Count("contributingfactor_id", filter=current),
        )
        .order_by()
    )
    action_rows = (
        action_rows.values(*(("team_id",) if each else ()), theme_id=F("factor__themes"))
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lte=end)))
        .order_by()
    )

    def keys(row):
        if each:
            return ((row["theme_id"], row["team_id"]), (row["theme_id"], None))
        return ((row["theme_id"], team_id),)

    counts = defaultdict(_Counts)
    for row in factor_rows:
        for key in keys(row):
            c = counts[key]
            c.postmortems += row["postmortems"]
            c.previous += row["previous"]
            c.factors += row["factors"]
    for row in action_rows if with_actions else ():
        for key in keys(row):
            c = counts[key]
            c.open += row["open"]
            c.overdue += row["overdue"]

    return counts


def restricted_filter(prefix, with_restricted):
    return Q() if with_restricted else Q(**{f"{prefix}restricted": False})


def rollup_weeks(
    *, period_end: datetime.date | str | None = None, weeks: int = 1
) -> list[RollupResult]:
    """Roll up ``weeks`` consecutive weeks ending on ``period_end``, oldest first."""
    end = as_date(period_end) or last_completed_week_end()
    return [rollup(end - WEEK * i) for i in reversed(range(weeks))]
