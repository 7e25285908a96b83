"""The metrics report's shape: a Bucket of figures per month and severity."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from postmortems.models import Severity

from .stats import median, p90, share

ALL = "all"
SEVERITIES = [s.value for s in Severity]
DEFAULT_MONTHS = 12


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


def months_between(first, last):
    months = []
    m = month_start(first)
    while m <= last:
        months.append(m)
        m = (m + datetime.timedelta(days=32)).replace(day=1)
    return months


def targets(buckets, totals, month, severity):
    return (buckets[(month, severity)], buckets[(month, ALL)], totals[severity], totals[ALL])


def add_action_counts(buckets, totals, counts):
    for month, severity, due, on_time in counts:
        for b in targets(buckets, totals, month, severity or ALL):
            b.actions_due += due
            b.actions_on_time += on_time
