"""Kaizen: weekly theme roll-ups, recurring-theme trends, the week in progress, the Slack
digest, theme suggestions and the Kaizen page's drill-down, one module each
(docs/architecture.md)."""

from .digest import DIGEST_THEMES, DIGEST_WEEKS, digest_payload, send_digests
from .drilldown import DRILL_LIMIT, attach_drill_down
from .open_items import OpenItems, open_item_counts
from .periods import WEEK, day_start, last_completed_week_end, periods_between, week_of
from .reviews import REVIEWS_SHOWN, ReviewNote, review_notes
from .rollup import REFRESH_WEEKS, RollupResult, restricted_filter, rollup, rollup_weeks
from .suggestions import Suggestion, suggest_themes, tokens
from .svg import sparkline
from .trends import RECURRING_PERIODS, ThemeTrend, reader_sees_all, trends

__all__ = [
    "DIGEST_THEMES",
    "DIGEST_WEEKS",
    "DRILL_LIMIT",
    "RECURRING_PERIODS",
    "REFRESH_WEEKS",
    "REVIEWS_SHOWN",
    "WEEK",
    "OpenItems",
    "ReviewNote",
    "RollupResult",
    "Suggestion",
    "ThemeTrend",
    "attach_drill_down",
    "day_start",
    "digest_payload",
    "last_completed_week_end",
    "open_item_counts",
    "periods_between",
    "reader_sees_all",
    "restricted_filter",
    "review_notes",
    "rollup",
    "rollup_weeks",
    "send_digests",
    "sparkline",
    "suggest_themes",
    "tokens",
    "trends",
    "week_of",
]
