"""Incident metrics: MTTD, MTTR, time to a published postmortem, change-failure share and
action-item on-time rate, per month and severity.

On PostgreSQL the database computes every figure in two grouped queries (``percentile_disc``
for the middle values and the nearest-rank p90, ``GROUPING SETS`` for the per-month,
per-severity and overall buckets). Elsewhere (SQLite) they are computed in Python
from two ``values_list`` queries (the incidents of the period and the action items due in
it), with the same definitions. Incidents whose times are missing (or impossible, e.g.
resolved before they started) are left out of that figure and counted, so the page can say
how many.

Pages read ``figures``: for a reader whose zone is UTC it comes from the stored daily
figures (``stored``: a handful of small queries whatever the number of incidents), for
everybody else from ``report``, the live computation.

Modules: ``stats`` (median, p90), ``buckets`` (the report's shape), ``python_report`` and
``sql_report`` (the two ways to compute it live), ``stored`` (read from the stored
figures), charts in ``actions.charts``.
"""

from django.db import connection
from django.utils import timezone

from postmortems import durations

from . import stored
from .buckets import ALL, DEFAULT_MONTHS, SEVERITIES, Bucket, Report, default_range, months_back
from .python_report import action_rows, build_report, incident_rows
from .sql_report import report_sql
from .stats import median, p90, percentile, share
from .stored import restricted_postmortems, stored_report

__all__ = [
    "ALL",
    "DEFAULT_MONTHS",
    "SEVERITIES",
    "Bucket",
    "Report",
    "action_rows",
    "build_report",
    "default_range",
    "duration_formatter",
    "figures",
    "format_duration",
    "format_share",
    "hours",
    "incident_rows",
    "median",
    "minutes",
    "months_back",
    "p90",
    "percentile",
    "report",
    "report_sql",
    "restricted_postmortems",
    "share",
    "stored_report",
]


def report(*, first=None, last=None, team=None, today=None, postmortems=None):
    """The metrics for [first, last] (default: the last 12 months), two queries, over
    ``postmortems`` (the reader's ``visible_postmortems``; None: every postmortem)."""
    default_first, default_last = default_range(today)
    first, last = first or default_first, last or default_last
    tz = timezone.get_current_timezone()
    if connection.vendor == "postgresql":
        today = today or timezone.localdate()
        return report_sql(
            first=first, last=last, team=team, today=today, tz=tz, postmortems=postmortems
        )
    return build_report(
        incident_rows(first=first, last=last, team=team, tz=tz, postmortems=postmortems),
        action_rows(first=first, last=last, team=team, postmortems=postmortems),
        first=first,
        last=last,
        today=today,
        tz=tz,
    )


def figures(*, first=None, last=None, team=None, today=None, postmortems=None, restricted=None):
    """``report``, from the stored figures when they are the reader's (UTC days);
    ``restricted`` is ``restricted_postmortems(postmortems)`` when the caller has it."""
    tz = timezone.get_current_timezone()
    if not stored.answers(tz):
        return report(first=first, last=last, team=team, today=today, postmortems=postmortems)
    default_first, default_last = default_range(today)
    return stored_report(
        first=first or default_first,
        last=last or default_last,
        team=team,
        today=today or timezone.localdate(),
        postmortems=postmortems,
        restricted=restricted,
    )


# --- Presentation helpers --------------------------------------------------------------------


def hours(value):
    """A duration as hours (float, 2 decimals) for charts and CSV; ``None`` stays ``None``."""
    if value is None:
        return None
    return round(value.total_seconds() / 3600, 2)


def minutes(value):
    if value is None:
        return None
    return round(value.total_seconds() / 60, 1)


def format_duration(value):
    """Medians and p90s: one unit with a decimal ("3.5 h"), "—" when unknown."""
    return durations.format_duration(value, rounded=True)


def duration_formatter():
    """``format_duration`` for the many durations of one page, in the active language."""
    return durations.rounded_formatter()


def format_share(value):
    return "—" if value is None else f"{value * 100:.0f}%"
