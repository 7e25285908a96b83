"""Timeline helpers: the paste-import parser (``parsing``), the rows the read view prints
(``rows``) and the durations between markers (``markers``).

Pure functions: no database, no request.
"""

from .markers import MARKER_LABELS, MarkerDuration, marker_durations
from .parsing import (
    MAX_IMPORT_LINES,
    ROLLOVER_GAP,
    LineError,
    ParsedEvent,
    ParseResult,
    ZoneError,
    localize,
    parse_timeline,
    split_kind,
)
from .rows import KIND_BADGE_CLASSES, TimelineRow, day_groups, timeline_row, with_day_dividers

__all__ = [
    "KIND_BADGE_CLASSES",
    "MARKER_LABELS",
    "MAX_IMPORT_LINES",
    "ROLLOVER_GAP",
    "LineError",
    "MarkerDuration",
    "ParseResult",
    "ParsedEvent",
    "TimelineRow",
    "ZoneError",
    "day_groups",
    "localize",
    "marker_durations",
    "parse_timeline",
    "split_kind",
    "timeline_row",
    "with_day_dividers",
]
