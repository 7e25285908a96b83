"""The dashboard's tiles, charts and per-team table: aggregates in a fixed number of
queries, whatever the number of items."""

import datetime

from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone

from postmortems.dates import day_start

from ..models import ActionItem
from .expressions import (
    DaysBetween,
    PercentileCont,
    is_closed,
    is_on_time,
    is_open,
    is_overdue,
    time_to_close,
)

AGE_BUCKETS = (
    ("0-7", 0, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    (">90", 91, None),
)
CHART_WEEKS = 12


def _weeks(today):
    """Start dates of the last CHART_WEEKS weeks (Monday first), oldest first."""
    this_week = today - datetime.timedelta(days=today.weekday())
    return [this_week - datetime.timedelta(weeks=n) for n in range(CHART_WEEKS - 1, -1, -1)]


def dashboard_figures(queryset, *, today=None, now=None):
    """Tiles and chart data for ``queryset`` in one aggregate query (plus one ordered
    OFFSET query for the median on databases without ``percentile_cont``).

    The number of queries is the same for ten items and for a million.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    postgres = connection.vendor == "postgresql"
    open_ = is_open()
    done = Q(status=ActionItem.Status.DONE)
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=open_),
        "overdue": Count("pk", filter=is_overdue(today)),
        "due_soon": Count(
            "pk",
            filter=open_ & Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=7)),
        ),
        "completed_30": Count(
            "pk", filter=done & Q(completed_at__gte=now - datetime.timedelta(days=30))
        ),
        "done": Count("pk", filter=done),
        "done_on_time": Count("pk", filter=is_on_time()),
        "blocked": Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
        "closed": Count("pk", filter=is_closed()),
    }
    for label, low, high in AGE_BUCKETS:
        # Age in whole days since creation: created on or after the start of today-high.
        age = Q(created_at__lt=day_start(today - datetime.timedelta(days=low - 1)))
        if high is not None:
            age &= Q(created_at__gte=day_start(today - datetime.timedelta(days=high)))
        for priority in ActionItem.Priority.values:
            aggregates[f"age|{label}|{priority}"] = Count(
                "pk", filter=open_ & age & Q(priority=priority)
            )
    weeks = _weeks(today)
    for n, start in enumerate(weeks):
        begin, end = day_start(start), day_start(start + datetime.timedelta(weeks=1))
        aggregates[f"created|{n}"] = Count(
            "pk", filter=Q(created_at__gte=begin, created_at__lt=end)
        )
        aggregates[f"completed|{n}"] = Count(
            "pk", filter=done & Q(completed_at__gte=begin, completed_at__lt=end)
        )
    if postgres:
        aggregates["median_close"] = PercentileCont(time_to_close(), filter=is_closed())
    row = queryset.order_by().aggregate(**aggregates)

    median = row["median_close"] if postgres else median_close_by_offset(queryset, row["closed"])
    figures = {
        key: row[key]
        for key in (
            "total",
            "open",
            "overdue",
            "due_soon",
            "completed_30",
            "done",
            "done_on_time",
            "blocked",
            "closed",
        )
    }
    figures["on_time_rate"] = (row["done_on_time"] / row["done"]) if row["done"] else None
    figures["median_days_to_close"] = (
        round(median.total_seconds() / 86400, 1) if median is not None else None
    )
    figures["age_chart"] = [
        {
            "label": label,
            "by_priority": [
                (priority, row[f"age|{label}|{priority}"])
                for priority in ActionItem.Priority.values
            ],
            "total": sum(row[f"age|{label}|{p}"] for p in ActionItem.Priority.values),
        }
        for label, _low, _high in AGE_BUCKETS
    ]
    figures["week_chart"] = [
        {"start": start, "created": row[f"created|{n}"], "completed": row[f"completed|{n}"]}
        for n, start in enumerate(weeks)
    ]
    return figures


def median_close_by_percentile(queryset):
    """Median time to close as PostgreSQL computes it inside the figures' aggregate."""
    return queryset.order_by().aggregate(
        median=PercentileCont(time_to_close(), filter=is_closed())
    )["median"]


def median_close_by_offset(queryset, count):
    """Median time to close with one ordered query reading at most two rows."""
    if not count:
        return None
    middle = (count - 1) // 2
    values = list(
        queryset.filter(is_closed())
        .annotate(days_to_close=DaysBetween("completed_at", "created_at"))
        .order_by("days_to_close")
        .values_list("days_to_close", flat=True)[middle : middle + 2 - count % 2]
    )
    if not values:
        return None
    return datetime.timedelta(days=sum(values) / len(values))


def dashboard_team_rows(queryset, *, today=None):
    """Per-team open / overdue / on-time rate / oldest open item, in one grouped query."""
    today = today or timezone.localdate()
    done = Q(status=ActionItem.Status.DONE)
    rows = list(
        queryset.order_by()
        .values("team_id", "team__name")
        .annotate(
            open=Count("pk", filter=is_open()),
            overdue=Count("pk", filter=is_overdue(today)),
            done=Count("pk", filter=done),
            done_on_time=Count("pk", filter=is_on_time()),
            oldest_open=Min("created_at", filter=is_open()),
        )
        .order_by("-overdue", "-open", "team__name")
    )
    for row in rows:
        row["on_time_rate"] = row["done_on_time"] / row["done"] if row["done"] else None
        row["oldest_open_days"] = (
            (today - timezone.localdate(row["oldest_open"])).days if row["oldest_open"] else None
        )
    return rows
