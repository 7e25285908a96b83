"""Incident metrics: MTTD, MTTR, time to a published postmortem, change-failure share and
action-item on-time rate, per month and severity.

On PostgreSQL the database computes every figure in two grouped queries (``percentile_disc``
for the middle values and the nearest-rank p90, ``GROUPING SETS`` for the per-month,
per-severity and overall buckets). Elsewhere (SQLite) they are computed in Python
from two ``values_list`` queries (the incidents of the period and the action items due in
it), with the same definitions. Incidents whose times are missing (or impossible, e.g.
resolved before they started) are left out of that figure and counted, so the page can say
how many.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from postmortems.models import Postmortem, Severity

from .models import ActionItem

ALL = "all"
SEVERITIES = [s.value for s in Severity]
DEFAULT_MONTHS = 12


# --- Pure statistics over durations -------------------------------------------------------


def _present(durations):
    return sorted(d for d in durations if d is not None)


def median(durations):
    """Median of the durations that are known (``None`` skipped); ``None`` if none are."""
    values = _present(durations)
    if not values:
        return None
    mid = len(values) // 2
    if len(values) % 2:
        return values[mid]
    return (values[mid - 1] + values[mid]) / 2


def percentile(durations, p):
    """Nearest-rank percentile (the smallest value with at least p% at or below it) of the
    known durations; ``None`` if none are known. p90 of 10 values is the 9th smallest."""
    values = _present(durations)
    if not values:
        return None
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[rank - 1]


def p90(durations):
    return percentile(durations, 90)


def duration(start, end):
    """``end - start``, or ``None`` when either is missing or the order is impossible."""
    if start is None or end is None or end < start:
        return None
    return end - start


def share(part, whole):
    return None if not whole else part / whole


# --- Aggregation ------------------------------------------------------------------------------


@dataclass
class Bucket:
    """Figures for one month and one severity (or all severities)."""

    incidents: int = 0
    detect: list = field(default_factory=list)
    resolve: list = field(default_factory=list)
    publish: list = field(default_factory=list)
    caused_by_change: int = 0
    missing_detected: int = 0
    missing_resolved: int = 0
    missing_published: int = 0
    actions_due: int = 0
    actions_on_time: int = 0
    # Medians and p90s the database computed ("mttd_median", ...), instead of the lists.
    computed: dict = field(default_factory=dict)

    def _figure(self, name, values, statistic):
        return self.computed[name] if name in self.computed else statistic(values)

    @property
    def mttd_median(self):
        return self._figure("mttd_median", self.detect, median)

    @property
    def mttd_p90(self):
        return self._figure("mttd_p90", self.detect, p90)

    @property
    def mttr_median(self):
        return self._figure("mttr_median", self.resolve, median)

    @property
    def mttr_p90(self):
        return self._figure("mttr_p90", self.resolve, p90)

    @property
    def publish_median(self):
        return self._figure("publish_median", self.publish, median)

    @property
    def publish_p90(self):
        return self._figure("publish_p90", self.publish, p90)

    @property
    def change_failure_share(self):
        return share(self.caused_by_change, self.incidents)

    @property
    def on_time_rate(self):
        return share(self.actions_on_time, self.actions_due)


@dataclass
class Report:
    months: list  # first day of each month, oldest first
    buckets: dict  # (month, severity or ALL) -> Bucket
    totals: dict  # severity or ALL -> Bucket over the whole range

    def bucket(self, month, severity=ALL):
        return self.buckets.get((month, severity)) or Bucket()

    def rows(self, severity=ALL):
        return [(month, self.bucket(month, severity)) for month in self.months]


def month_start(day):
    return day.replace(day=1)


def months_back(today, count):
    """The first day of the ``count`` months ending with ``today``'s month, oldest first."""
    months, year, month = [], today.year, today.month
    for _step in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def default_range(today=None, months=DEFAULT_MONTHS):
    today = today or timezone.localdate()
    first = months_back(today, months)[0]
    return first, today


def _day_start(day, tz):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def incident_rows(*, first, last, team=None, tz=None, postmortems=None):
    """One tuple per incident that started (or, lacking a start, was written) in
    [first, last]: (at, severity, started, detected, resolved, published, caused_by_change).
    ``postmortems`` is the reader's ``visible_postmortems`` (None: all of them): a figure
    over a day or a team with one restricted incident would describe that incident."""
    tz = tz or timezone.get_current_timezone()
    qs = (
        (Postmortem.objects if postmortems is None else postmortems)
        .annotate(at=Coalesce("started_at", "created_at"))
        .filter(
            at__gte=_day_start(first, tz), at__lt=_day_start(last + datetime.timedelta(days=1), tz)
        )
    )
    if team is not None:
        qs = qs.filter(team=team)
    return list(
        qs.order_by().values_list(
            "at",
            "severity",
            "started_at",
            "detected_at",
            "resolved_at",
            "published_at",
            "caused_by_change",
        )
    )


def action_rows(*, first, last, team=None, postmortems=None):
    """(due_date, status, completed_at, severity) of action items due in [first, last]."""
    qs = ActionItem.objects.filter(due_date__gte=first, due_date__lte=last)
    if team is not None:
        qs = qs.filter(team=team)
    if postmortems is not None:
        qs = qs.filter(postmortem__in=postmortems.values("pk"))
    return list(
        qs.order_by().values_list("due_date", "status", "completed_at", "postmortem__severity")
    )


def _months(first, last):
    months = []
    m = month_start(first)
    while m <= last:
        months.append(m)
        m = (m + datetime.timedelta(days=32)).replace(day=1)
    return months


def _targets(buckets, totals, month, severity):
    return (buckets[(month, severity)], buckets[(month, ALL)], totals[severity], totals[ALL])


def _add_action_counts(buckets, totals, counts):
    for month, severity, due, on_time in counts:
        for b in _targets(buckets, totals, month, severity or ALL):
            b.actions_due += due
            b.actions_on_time += on_time


def build_report(incidents, actions, *, first, last, today=None, tz=None):
    """Group incident and action-item tuples by month and severity. Pure: no queries.

    An action item counts toward the on-time rate once its due date has passed (or it is
    done): on time when it was done on or before its due date (in ``tz``)."""
    tz = tz or timezone.get_current_timezone()
    today = today or timezone.localdate()
    months = _months(first, last)
    buckets = defaultdict(Bucket)
    totals = defaultdict(Bucket)

    def targets(month, severity):
        return _targets(buckets, totals, month, severity)

    for at, severity, started, detected, resolved, published, by_change in incidents:
        month = month_start(timezone.localtime(at, tz).date())
        detect = duration(started, detected)
        resolve = duration(started, resolved)
        publish = duration(resolved, published)
        for b in targets(month, severity):
            b.incidents += 1
            b.caused_by_change += bool(by_change)
            if detect is None:
                b.missing_detected += 1
            else:
                b.detect.append(detect)
            if resolve is None:
                b.missing_resolved += 1
            else:
                b.resolve.append(resolve)
            if publish is None:
                b.missing_published += 1
            else:
                b.publish.append(publish)

    for due, status, completed_at, severity in actions:
        done = status == ActionItem.Status.DONE and completed_at is not None
        if not done and due >= today:
            continue  # not due yet: neither on time nor late
        if status == ActionItem.Status.WONT_DO:
            continue  # decided against: no deadline to meet
        on_time = done and timezone.localtime(completed_at, tz).date() <= due
        for b in targets(month_start(due), severity or ALL):
            b.actions_due += 1
            b.actions_on_time += on_time

    return Report(months=months, buckets=dict(buckets), totals=dict(totals))


# --- The same figures computed by PostgreSQL ---------------------------------------------------

_DURATIONS = (
    # (figure, end, start): end - start, unknown when either is missing or end < start.
    ("mttd", "detected_at", "started_at"),
    ("mttr", "resolved_at", "started_at"),
    ("publish", "published_at", "resolved_at"),
)
_MISSING = {"mttd": "missing_detected", "mttr": "missing_resolved", "publish": "missing_published"}


def _incident_figures_sql(*, first, last, team, tz, postmortems=None):
    """One grouped query: each (month, severity), each month, each severity and the whole
    range, with counts, the two middle values (``percentile_disc`` from either end: the same
    value for an odd count) and nearest-rank p90s (``percentile_disc``, like ``p90``)."""
    qn = connection.ops.quote_name
    durations = ",\n".join(
        f"CASE WHEN {qn(end)} >= {qn(start)} THEN {qn(end)} - {qn(start)} END AS {name}"
        for name, end, start in _DURATIONS
    )
    figures = ",\n".join(
        f"count(*) FILTER (WHERE {name} IS NULL), "
        f"percentile_disc(0.5) WITHIN GROUP (ORDER BY {name}), "
        f"percentile_disc(0.5) WITHIN GROUP (ORDER BY {name} DESC), "
        f"percentile_disc(0.9) WITHIN GROUP (ORDER BY {name})"
        for name, _end, _start in _DURATIONS
    )
    at = f"COALESCE({qn('started_at')}, {qn('created_at')})"
    params = [timezone._get_timezone_name(tz), _day_start(first, tz)]
    params.append(_day_start(last + datetime.timedelta(days=1), tz))
    team_sql = ""
    if team is not None:
        team_sql = f"AND {qn('team_id')} = %s"
        params.append(team.pk)
    if postmortems is not None:
        visible_sql, visible_params = postmortems.values("pk").query.sql_with_params()
        team_sql += f" AND {qn('id')} IN ({visible_sql})"
        params.extend(visible_params)
    # Identifiers and fixed text only in the f-string; the values are parameters.
    sql = f"""
        SELECT GROUPING(month), GROUPING(severity), month, severity, count(*),
            count(*) FILTER (WHERE caused_by_change), {figures}
        FROM (
            SELECT date_trunc('month', {at} AT TIME ZONE %s)::date AS month,
                {qn("severity")} AS severity, {qn("caused_by_change")} AS caused_by_change,
                {durations}
            FROM {qn(Postmortem._meta.db_table)}
            WHERE {at} >= %s AND {at} < %s {team_sql}
        ) AS incidents
        GROUP BY GROUPING SETS ((month, severity), (month), (severity), ())
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _action_counts_sql(*, first, last, team, today, tz, postmortems=None):
    """(month, severity, due, on time) of the action items due in [first, last] that count
    toward the on-time rate (see ``build_report``), grouped by the database."""
    done = Q(status=ActionItem.Status.DONE, completed_at__isnull=False)
    qs = ActionItem.objects.filter(due_date__gte=first, due_date__lte=last)
    if team is not None:
        qs = qs.filter(team=team)
    if postmortems is not None:
        qs = qs.filter(postmortem__in=postmortems.values("pk"))
    on_time = done & LessThanOrEqual(TruncDate("completed_at", tzinfo=tz), F("due_date"))
    return list(
        qs.exclude(status=ActionItem.Status.WONT_DO)
        .filter(done | Q(due_date__lt=today))
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values_list("month", "postmortem__severity")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=on_time))
    )


def _report_sql(*, first, last, team, today, tz, postmortems=None):
    buckets = defaultdict(Bucket)
    totals = defaultdict(Bucket)
    for row in _incident_figures_sql(
        first=first, last=last, team=team, tz=tz, postmortems=postmortems
    ):
        no_month, no_severity, month, severity, incidents, by_change, *stats = row
        if no_month:
            bucket = totals[ALL if no_severity else severity]
        else:
            bucket = buckets[(month, ALL if no_severity else severity)]
        bucket.incidents = incidents
        bucket.caused_by_change = by_change
        for n, (name, _end, _start) in enumerate(_DURATIONS):
            missing, low, high, ninetieth = stats[4 * n : 4 * n + 4]
            setattr(bucket, _MISSING[name], missing)
            # The very expression ``median`` uses, so the rounding is the same too.
            bucket.computed[f"{name}_median"] = None if low is None else (low + high) / 2
            bucket.computed[f"{name}_p90"] = ninetieth
    _add_action_counts(
        buckets,
        totals,
        _action_counts_sql(
            first=first, last=last, team=team, today=today, tz=tz, postmortems=postmortems
        ),
    )
    return Report(months=_months(first, last), buckets=dict(buckets), totals=dict(totals))


def report(*, first=None, last=None, team=None, today=None, postmortems=None):
    """The metrics for [first, last] (default: the last 12 months), two queries, over
    ``postmortems`` (the reader's ``visible_postmortems``; None: every postmortem)."""
    default_first, default_last = default_range(today)
    first, last = first or default_first, last or default_last
    tz = timezone.get_current_timezone()
    if connection.vendor == "postgresql":
        today = today or timezone.localdate()
        return _report_sql(
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


def bar_chart(
    series, *, labels, axis_labels=None, width=640, height=200, pad_left=44, pad_bottom=28, unit=""
):
    """Geometry for a server-rendered grouped bar chart.

    ``series`` is a list of (name, values) with one value (or ``None``) per label; returns
    bars, axis ticks and labels positioned in an SVG of ``width`` x ``height``. The x axis
    shows ``axis_labels`` when given — (first line, second line or "") per label, short
    enough not to overlap in any language — else ``labels`` (which bars' tooltips use)."""
    values = [v for _, vals in series for v in vals if v is not None]
    top = max(values) if values else 0
    top = _nice_ceiling(top)
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - 8
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(2.0, (group_w - 6) / max(len(series), 1))
    bars = []
    for s_index, (name, vals) in enumerate(series):
        for i, v in enumerate(vals):
            if v is None:
                continue
            h = 0 if not top else plot_h * v / top
            bars.append(
                {
                    "x": round(pad_left + i * group_w + 3 + s_index * bar_w, 1),
                    "y": round(8 + plot_h - h, 1),
                    "width": round(bar_w - 1, 1),
                    "height": round(h, 1),
                    "series": s_index,
                    "name": name,
                    "label": labels[i],
                    "value": v,
                }
            )
    ticks = []
    for k in range(5):
        value = top * k / 4
        ticks.append({"y": round(8 + plot_h - plot_h * k / 4, 1), "value": _fmt(value)})
    lines = axis_labels or [(label, "") for label in labels]
    x_labels = [
        {"x": round(pad_left + i * group_w + group_w / 2, 1), "text": top, "sub": sub}
        for i, (top, sub) in enumerate(lines)
    ]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": ticks,
        "labels": x_labels,
        "axis_x": pad_left,
        "baseline": 8 + plot_h,
        "right": width - 8,
        "unit": unit,
        "series": [name for name, _ in series],
    }


def _nice_ceiling(value):
    if value <= 0:
        return 0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(value):
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def format_duration(value):
    """A short human duration: "12 min", "3.5 h", "2.1 d"; "—" when unknown."""
    if value is None:
        return "—"
    mins = value.total_seconds() / 60
    if mins < 90:
        return _("%(n)s min") % {"n": f"{mins:.0f}"}
    if mins < 48 * 60:
        return _("%(n)s h") % {"n": f"{mins / 60:.1f}"}
    return _("%(n)s d") % {"n": f"{mins / 1440:.1f}"}


def format_share(value):
    return "—" if value is None else f"{value * 100:.0f}%"
