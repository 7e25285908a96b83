"""Ranking recurring themes over a range of weeks, from the roll-up rows."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, F, OuterRef, Q, Value

from postmortems.permissions import is_team_member

from ..models import ThemeRollup
from .svg import sparkline

# A theme "recurs" when it shows up in this many periods of the range shown.
RECURRING_PERIODS = 3


@dataclass
class ThemeTrend:
    theme_id: int
    name: str
    counts: list  # postmortems per period, oldest first
    factors: int = 0
    open_actions: int = 0
    overdue_actions: int = 0
    seen_before: bool = False  # postmortems in an earlier period than the latest one
    postmortems: list = field(default_factory=list)  # the first few the reader may open
    postmortem_count: int = 0  # all the reader may open
    action_items: list = field(default_factory=list)
    hidden_action_items: int = 0
    action_item_count: int = 0  # open items visible to the user (only a few are listed)
    has_open_prevent: bool = False
    latest_row: int = -1

    @property
    def total(self):
        return sum(self.counts)

    @property
    def periods_with_incidents(self):
        return sum(1 for n in self.counts if n)

    @property
    def is_new(self):
        return bool(self.counts and self.counts[-1]) and not self.seen_before

    @property
    def is_recurring(self):
        return self.periods_with_incidents >= RECURRING_PERIODS

    @property
    def needs_prevention(self):
        return self.periods_with_incidents >= 2 and not self.has_open_prevent

    @property
    def sparkline(self):
        return sparkline(self.counts)


def trends(periods, *, team=None, with_restricted=True):
    """ThemeTrend per theme with postmortems in ``periods`` (list of (start, end) weeks),
    ranked by recurrence (periods with incidents), then by postmortems. One query.

    ``with_restricted=False`` counts no restricted postmortem (see ``reader_sees_all``)."""
    if not periods:
        return []
    return rank(periods, rollup_rows(periods, team=team, with_restricted=with_restricted))


def rollup_count_fields(with_restricted):
    """The roll-up's postmortem, factor, open and overdue count columns for a reader who sees
    every restricted postmortem (``with_restricted``) or none (the ``open_`` ones)."""
    prefix = "" if with_restricted else "open_"
    return [
        f"{prefix}{name}"
        for name in (
            "postmortem_count",
            "factor_count",
            "open_action_count",
            "overdue_action_count",
        )
    ]


def rollup_rows(periods, *, team=None, with_restricted=True):
    """The roll-up rows of ``periods`` as tuples (theme id, theme name, period start,
    postmortems, factors, open actions, overdue actions, seen before, live): ``seen before``
    whether the theme has postmortems in an earlier roll-up row, ``live`` False (the week in
    progress adds rows of the same shape, ``current_week.week_rows``)."""
    index = [start for start, _ in periods]
    scope = Q(team__isnull=True) if team is None else Q(team=team)
    counts = rollup_count_fields(with_restricted)
    if not with_restricted:
        # A row that only counts restricted postmortems does not exist for this reader.
        scope &= Q(**{f"{counts[0]}__gt": 0}) | Q(**{f"{counts[2]}__gt": 0})
    earlier = ThemeRollup.objects.filter(
        scope, theme_id=OuterRef("theme_id"), period_start__lt=index[-1], **{f"{counts[0]}__gt": 0}
    )
    return (
        ThemeRollup.objects.filter(scope, period_start__in=index)
        .annotate(
            seen_before=Exists(earlier),
            theme_name=F("theme__name"),
            live=Value(False, output_field=BooleanField()),
        )
        .values_list("theme_id", "theme_name", "period_start", *counts, "seen_before", "live")
        .order_by()
    )


def rank(periods, rows):
    """Ranked ThemeTrends from roll-up rows (``rollup_rows``) of ``periods``."""
    index = {start: i for i, (start, _) in enumerate(periods)}
    latest = periods[-1][0]
    by_theme = {}
    for theme_id, name, start, pms, factors, open_, overdue, seen, _live in rows:
        t = by_theme.get(theme_id)
        if t is None:
            t = by_theme[theme_id] = ThemeTrend(theme_id, name, [0] * len(periods))
        t.counts[index[start]] = pms
        t.factors += factors
        if start == latest:
            t.seen_before = seen
        if index[start] > t.latest_row:
            # Action counts as of the most recent period the theme has a row for.
            t.latest_row = index[start]
            t.open_actions, t.overdue_actions = open_, overdue
    return ranked(by_theme.values())


def ranked(theme_trends):
    """Themes with postmortems, most recurring first, then most postmortems, then by name."""
    found = [t for t in theme_trends if t.total]
    found.sort(key=lambda t: (-t.periods_with_incidents, -t.total, t.name.lower()))
    return found


def reader_sees_all(user, team=None):
    """Whether ``user`` may see the roll-up counts that include restricted postmortems: a
    superuser, or a member of ``team`` looking at its own rows. Anyone else gets the counts
    without restricted postmortems (undercounting the few restricted ones they may read)."""
    if user.is_superuser:
        return True
    return team is not None and is_team_member(user, team)
