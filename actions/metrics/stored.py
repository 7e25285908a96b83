"""The metrics report read from the stored daily figures (``MetricsDay``), with the
restricted postmortems the reader may open added live.

The stored rows hold, per UTC day, severity and scope (one team, or every team), the
counts and the sorted durations of the postmortems that are not restricted, and the
action-item counts per due date; ``actions.services.metrics_figures`` rewrites them in the
transaction that changes what they are made of. Medians and p90s are taken here over
the month's (or the range's) durations, so they are exactly those of ``report``. Days are
UTC days: the stored figures answer readers whose zone is UTC, everybody else gets the live
computation (``report``), which groups by their own days and months.
"""

import datetime
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce

from postmortems.durations import span
from postmortems.models import Postmortem

from ..models import ActionItem, MetricsDay
from .buckets import ALL, Bucket, Report, month_start, months_between
from .python_report import INCIDENT_COLUMNS

DURATIONS = ("detect", "resolve", "publish")
_FIGURE = {"detect": "mttd", "resolve": "mttr", "publish": "publish"}
# The same key objects in every bucket: a cached report pickles each of them once.
_COMPUTED_KEYS = {name: (f"{figure}_median", f"{figure}_p90") for name, figure in _FIGURE.items()}
_MISSING = {
    "detect": "missing_detected",
    "resolve": "missing_resolved",
    "publish": "missing_published",
}
UTC_NAMES = frozenset(
    {
        "UTC",
        "Etc/UTC",
        "Etc/UCT",
        "UCT",
        "Etc/Universal",
        "Universal",
        "Etc/Zulu",
        "Zulu",
    }
)


def next_month(month):
    return (month + datetime.timedelta(days=32)).replace(day=1)


def answers(tz):
    """Whether the stored figures (UTC days) are the reader's: their zone is UTC."""
    if tz is datetime.UTC:
        return True
    return getattr(tz, "key", None) in UTC_NAMES


# --- Durations as bytes ----------------------------------------------------------------------


def microseconds(delta: datetime.timedelta) -> int:
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def pack(values: Iterable[int]) -> bytes:
    """Sorted int64 microseconds, little-endian."""
    packed = array("q", sorted(values))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack(data: bytes | memoryview) -> "array[int]":
    values = array("q")
    values.frombytes(bytes(data))
    if sys.byteorder == "big":
        values.byteswap()
    return values


# A report merges about 100,000 durations: numpy (installed for Kiwi anyway) holds them as
# int64 arrays and merges them in C, without a Python int per value. It is imported when a
# report is first read, not with the app: 70 ms and 16 MB that most processes never need.
_INT64 = "<i8"  # what ``pack`` writes


def _run(data: bytes | memoryview) -> Any:
    """A stored run as it is read for a report: the bytes seen as int64, not copied."""
    import numpy as np

    return np.frombuffer(data, dtype=_INT64)


# --- Statistics over microseconds (the same as ``stats`` over timedeltas) ---------------------


def _td(value):
    return datetime.timedelta(microseconds=int(value))


def _median(values):
    if not len(values):
        return None
    mid = len(values) // 2
    if len(values) % 2:
        return _td(values[mid])
    return (_td(values[mid - 1]) + _td(values[mid])) / 2


def _p90(values):
    if not len(values):
        return None
    rank = max(1, -(-9 * len(values) // 10))  # ceil(0.9 n), in integers
    return _td(values[rank - 1])


# --- The report --------------------------------------------------------------------------------


class _Acc:
    """A bucket being filled: counts, and per duration its runs of sorted microseconds (the
    stored rows' bytes seen as int64 arrays, merged when the bucket is finished)."""

    __slots__ = ("bucket", "runs")

    def __init__(self):
        self.bucket = Bucket()
        self.runs = {name: [] for name in DURATIONS}

    def finish(self, merged=None):
        """The bucket with its medians and p90s; ``merged`` (duration -> sorted values)
        when the caller has merged this bucket's runs already."""
        computed = self.bucket.computed
        for name, runs in self.runs.items():
            values = merged[name] if merged is not None else _merged(runs)
            median_key, p90_key = _COMPUTED_KEYS[name]
            computed[median_key] = _median(values)
            computed[p90_key] = _p90(values)
        return self.bucket


def _merged(runs):
    """The values of sorted ``runs`` as one sorted array. A month of one severity is a
    single stored run, read as it is; the others are joined and sorted once. The runs are
    ascending: numpy's stable sort (a timsort for int64) finds them and merges them, about
    fifteen times faster here than its default quicksort, which does not look for runs."""
    # An empty run (a severity with no such duration: ``[]``) would make numpy's result
    # float64; it adds nothing, so it is left out.
    runs = [run for run in runs if len(run)]
    if len(runs) <= 1:
        return runs[0] if runs else runs
    import numpy as np

    values = np.concatenate(runs)
    values.sort(kind="stable")
    return values


def _finish_totals(totals):
    """The range's buckets per severity, and the one over every severity merged from
    theirs (every duration is in one severity's total and in that one): four sorted lists
    to merge instead of every month's runs again."""
    merged = {
        severity: {name: _merged(acc.runs[name]) for name in DURATIONS}
        for severity, acc in totals.items()
        if severity != ALL
    }
    done = {severity: totals[severity].finish(values) for severity, values in merged.items()}
    if ALL in totals:
        done[ALL] = totals[ALL].finish(
            {name: _merged([values[name] for values in merged.values()]) for name in DURATIONS}
        )
    return done


def stored_report(*, first, last, team=None, today, postmortems=None, restricted=None):
    """``report`` for a reader in UTC, from the stored figures: one query for the stored
    rows of the range, one for the reader's restricted postmortems (``restricted``, when
    the caller has them already: ``restricted_postmortems``) and, when there are some, one
    for their items."""
    scope = {"team": team} if team is not None else {"team__isnull": True}
    buckets = defaultdict(_Acc)
    totals = defaultdict(_Acc)

    def targets(month, severity):
        return (buckets[(month, severity)], buckets[(month, ALL)], totals[severity], totals[ALL])

    # Whole months that have passed come from their month rows; the days around them (a
    # range starting or ending mid-month, the current month) from day rows.
    whole = [
        m
        for m in months_between(first, last)
        if m >= first and next_month(m) <= min(last + datetime.timedelta(days=1), today)
    ]
    if whole:
        periods = Q(whole_month=True, day__in=whole) | Q(
            whole_month=False, day__gte=first, day__lt=whole[0]
        )
        periods |= Q(whole_month=False, day__gte=next_month(whole[-1]), day__lte=last)
    else:
        periods = Q(whole_month=False, day__gte=first, day__lte=last)
    days = (
        MetricsDay.objects.filter(periods, **scope)
        .filter(Q(incidents__gt=0) | Q(actions_done__gt=0) | Q(actions_open__gt=0))
        .order_by()
        .values_list(
            "day",
            "severity",
            "incidents",
            "caused_by_change",
            "missing_detected",
            "missing_resolved",
            "missing_published",
            "detect",
            "resolve",
            "publish",
            "actions_done",
            "actions_on_time",
            "actions_open",
        )
    )
    for row in days:
        day, severity, incidents, by_change, *missing = row[:7]
        detect, resolve, publish, done, on_time, still_open = row[7:]
        month = month_start(day)
        due = done + (still_open if day < today else 0)
        if incidents:
            durations = [
                (name, values)
                for name, values in zip(
                    DURATIONS, (_run(detect), _run(resolve), _run(publish)), strict=True
                )
                if len(values)
            ]
        for acc in targets(month, severity):
            b = acc.bucket
            b.actions_due += due
            b.actions_on_time += on_time
            if not incidents:
                continue
            b.incidents += incidents
            b.caused_by_change += by_change
            b.missing_detected += missing[0]
            b.missing_resolved += missing[1]
            b.missing_published += missing[2]
            for name, values in durations:
                acc.runs[name].append(values)

    if restricted is None:
        restricted = restricted_postmortems(postmortems)
    if restricted:
        _add_restricted(targets, first=first, last=last, team=team, today=today, rows=restricted)

    return Report(
        months=months_between(first, last),
        buckets={key: acc.finish() for key, acc in buckets.items()},
        totals=_finish_totals(totals),
    )


def restricted_postmortems(postmortems=None):
    """What the report needs of the restricted postmortems in ``postmortems`` (a reader's
    visible ones; None: all), in one query that reads only restricted rows (partial
    index): (id, team id, counted at, severity, started, detected, resolved, published,
    caused by a change). Empty for the many readers who may open none."""
    qs = (Postmortem.objects if postmortems is None else postmortems).filter(restricted=True)
    return list(
        qs.annotate(at=Coalesce("started_at", "created_at"))
        .order_by()
        .values_list(
            "pk",
            "team_id",
            *INCIDENT_COLUMNS,
        )
    )


def _add_restricted(targets, *, first, last, team, today, rows):
    """The reader's restricted incidents of the range and their items due in it, live."""
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(last, datetime.time.min, tzinfo=datetime.UTC)
    end += datetime.timedelta(days=1)
    severities = {}
    for pk, team_id, at, severity, started, detected, resolved, published, by_change in rows:
        severities[pk] = severity
        if not start <= at < end or (team is not None and team_id != team.pk):
            continue
        spans = {
            "detect": span(started, detected),
            "resolve": span(started, resolved),
            "publish": span(resolved, published),
        }
        for acc in targets(month_start(at.astimezone(datetime.UTC).date()), severity):
            acc.bucket.incidents += 1
            acc.bucket.caused_by_change += bool(by_change)
            for name, value in spans.items():
                if value is None:
                    setattr(acc.bucket, _MISSING[name], getattr(acc.bucket, _MISSING[name]) + 1)
                else:
                    acc.runs[name].append(_run(pack((microseconds(value),))))
    items = ActionItem.objects.filter(
        due_date__gte=first, due_date__lte=last, postmortem_id__in=list(severities)
    )
    if team is not None:
        items = items.filter(team=team)
    for due, status, completed_at, pk in items.order_by().values_list(
        "due_date", "status", "completed_at", "postmortem_id"
    ):
        counted, on_time = action_counts(due, status, completed_at, today)
        if counted:
            for acc in targets(month_start(due), severities[pk]):
                acc.bucket.actions_due += 1
                acc.bucket.actions_on_time += on_time


def action_counts(due, status, completed_at, today):
    """(counts toward the on-time rate, on time) of one item, in UTC, as ``build_report``."""
    done = status == ActionItem.Status.DONE and completed_at is not None
    if status == ActionItem.Status.WONT_DO or (not done and due >= today):
        return False, False
    return True, done and completed_at.astimezone(datetime.UTC).date() <= due
