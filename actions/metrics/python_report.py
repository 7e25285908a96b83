"""The metrics computed in Python from two ``values_list`` queries (SQLite; the same
definitions as ``sql_report``, and ``tests`` compare the two on PostgreSQL)."""

import datetime
from collections import defaultdict

from django.db.models.functions import Coalesce
from django.utils import timezone

from postmortems.dates import day_start
from postmortems.durations import span
from postmortems.models import Postmortem

from ..models import ActionItem
from .buckets import ALL, Bucket, Report, month_start, months_between, targets

# What each report reads of an incident (``at``: its start, or when it was written), in the
# order the reports unpack it.
INCIDENT_COLUMNS = (
    "at",
    "severity",
    "started_at",
    "detected_at",
    "resolved_at",
    "published_at",
    "caused_by_change",
)


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
            at__gte=day_start(first, tz), at__lt=day_start(last + datetime.timedelta(days=1), tz)
        )
    )
    if team is not None:
        qs = qs.filter(team=team)
    return list(qs.order_by().values_list(*INCIDENT_COLUMNS))


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


def build_report(incidents, actions, *, first, last, today=None, tz=None):
    """Group incident and action-item tuples by month and severity. Pure: no queries.

    An action item counts toward the on-time rate once its due date has passed (or it is
    done): on time when it was done on or before its due date (in ``tz``)."""
    tz = tz or timezone.get_current_timezone()
    today = today or timezone.localdate()
    months = months_between(first, last)
    buckets = defaultdict(Bucket)
    totals = defaultdict(Bucket)

    for at, severity, started, detected, resolved, published, by_change in incidents:
        month = month_start(timezone.localtime(at, tz).date())
        detect = span(started, detected)
        resolve = span(started, resolved)
        publish = span(resolved, published)
        for b in targets(buckets, totals, month, severity):
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
        for b in targets(buckets, totals, month_start(due), severity or ALL):
            b.actions_due += 1
            b.actions_on_time += on_time

    return Report(months=months, buckets=dict(buckets), totals=dict(totals))
