"""Incident metrics: MTTD, MTTR, time to a published postmortem, change-failure share and
action-item on-time rate, per month and severity.

The figures are computed in Python from two ``values_list`` queries (the incidents of the
period and the action items due in it): medians and percentiles are not portable SQL, and a
year of incidents is a few thousand small tuples. Incidents whose times are missing (or
impossible, e.g. resolved before they started) are left out of that figure and counted, so
the page can say how many.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce
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

    @property
    def mttd_median(self):
        return median(self.detect)

    @property
    def mttd_p90(self):
        return p90(self.detect)

    @property
    def mttr_median(self):
        return median(self.resolve)

    @property
    def mttr_p90(self):
        return p90(self.resolve)

    @property
    def publish_median(self):
        return median(self.publish)

    @property
    def publish_p90(self):
        return p90(self.publish)

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


def incident_rows(*, first, last, team=None, tz=None):
    """One tuple per incident that started (or, lacking a start, was written) in
    [first, last]: (at, severity, started, detected, resolved, published, caused_by_change).
    Counts include restricted postmortems; no title is read."""
    tz = tz or timezone.get_current_timezone()
    qs = Postmortem.objects.annotate(at=Coalesce("started_at", "created_at")).filter(
        at__gte=_day_start(first, tz), at__lt=_day_start(last + datetime.timedelta(days=1), tz)
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


def action_rows(*, first, last, team=None):
    """(due_date, status, completed_at, severity) of action items due in [first, last]."""
    qs = ActionItem.objects.filter(due_date__gte=first, due_date__lte=last)
    if team is not None:
        qs = qs.filter(team=team)
    return list(
        qs.order_by().values_list("due_date", "status", "completed_at", "postmortem__severity")
    )


def build_report(incidents, actions, *, first, last, today=None, tz=None):
    """Group incident and action-item tuples by month and severity. Pure: no queries.

    An action item counts toward the on-time rate once its due date has passed (or it is
    done): on time when it was done on or before its due date (in ``tz``)."""
    tz = tz or timezone.get_current_timezone()
    today = today or timezone.localdate()
    months = []
    m = month_start(first)
    while m <= last:
        months.append(m)
        m = (m + datetime.timedelta(days=32)).replace(day=1)
    buckets = defaultdict(Bucket)
    totals = defaultdict(Bucket)

    def targets(month, severity):
        return (buckets[(month, severity)], buckets[(month, ALL)], totals[severity], totals[ALL])

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


def report(*, first=None, last=None, team=None, today=None):
    """The metrics for [first, last] (default: the last 12 months), two queries."""
    default_first, default_last = default_range(today)
    first, last = first or default_first, last or default_last
    tz = timezone.get_current_timezone()
    return build_report(
        incident_rows(first=first, last=last, team=team, tz=tz),
        action_rows(first=first, last=last, team=team),
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


def bar_chart(series, *, labels, width=640, height=200, pad_left=44, pad_bottom=28, unit=""):
    """Geometry for a server-rendered grouped bar chart.

    ``series`` is a list of (name, values) with one value (or ``None``) per label; returns
    bars, axis ticks and labels positioned in an SVG of ``width`` x ``height``."""
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
    x_labels = [
        {"x": round(pad_left + i * group_w + group_w / 2, 1), "text": label}
        for i, label in enumerate(labels)
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
