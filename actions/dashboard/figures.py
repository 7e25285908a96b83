"""The dashboard's tiles, charts and per-team table: one grouped query (and the median),
whatever the number of items or teams."""

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import Case, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import Col
from django.utils import timezone

from postmortems.dates import day_start
from postmortems.models import Team

from ..models import ActionItem
from .expressions import (
    DaysBetween,
    PercentileCont,
    is_closed,
    is_on_time,
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


def _flag(condition):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _classes(*whens, default=-1):
    return Case(
        *(When(condition, then=Value(value)) for value, condition in whens),
        default=Value(default),
        output_field=IntegerField(),
    )


def _features(today, now):
    """What the figures need of each item, as small integers computed once per row: the
    counts then compare integers instead of dates, times and strings (a filtered count per
    figure re-evaluated ~60 conditions on every row)."""
    weeks = _weeks(today)
    week_bounds = [day_start(start) for start in weeks]
    after_weeks = day_start(weeks[-1] + datetime.timedelta(weeks=1))
    open_statuses = [s for s in ActionItem.OPEN_STATUSES if s != ActionItem.Status.BLOCKED]
    ages = []
    for n, (_label, low, high) in enumerate(AGE_BUCKETS):
        # Age in whole days since creation: created on or after the start of today-high.
        age = Q(created_at__lt=day_start(today - datetime.timedelta(days=low - 1)))
        if high is not None:
            age &= Q(created_at__gte=day_start(today - datetime.timedelta(days=high)))
        ages.append((n, age))

    def week(field):
        # Most items are older than the chart: one test sends them to -1 before any bound.
        outside = Q(**{f"{field}__lt": week_bounds[0]}) | Q(**{f"{field}__gte": after_weeks})
        return _classes(
            (-1, outside),
            *((n, Q(**{f"{field}__gte": week_bounds[n]})) for n in range(len(weeks) - 1, -1, -1)),
        )

    done = Q(status=ActionItem.Status.DONE)
    return {
        # 0 open or in progress, 1 blocked (both open), 2 done, 3 won't do.
        "f_state": _classes(
            (0, Q(status__in=open_statuses)),
            (1, Q(status=ActionItem.Status.BLOCKED)),
            (2, done),
            default=3,
        ),
        "f_closed": _flag(is_closed()),
        # 0 overdue, 1 due within 7 days, 2 later.
        "f_due": _classes(
            (0, Q(due_date__lt=today)),
            (1, Q(due_date__lte=today + datetime.timedelta(days=7))),
            default=2,
        ),
        "f_on_time": _flag(is_on_time()),
        "f_done_30": _flag(done & Q(completed_at__gte=now - datetime.timedelta(days=30))),
        "f_age": _classes(*ages),
        "f_priority": _classes(*((n, Q(priority=p)) for n, p in enumerate(PRIORITIES))),
        "f_created_week": week("created_at"),
        "f_completed_week": Case(
            When(done, then=week("completed_at")), default=Value(-1), output_field=IntegerField()
        ),
    }


PRIORITIES = tuple(ActionItem.Priority.values)
_OPEN = "f_state < 2"


def _count_conditions():
    """Figure name → its condition on the features (SQL over integer columns, no input)."""
    conditions = {
        "total": "",
        "open": _OPEN,
        "overdue": f"{_OPEN} AND f_due = 0",
        "due_soon": f"{_OPEN} AND f_due = 1",
        "completed_30": "f_done_30 = 1",
        "done": "f_state = 2",
        "done_on_time": "f_on_time = 1",
        "blocked": "f_state = 1",
        "closed": "f_closed = 1",
    }
    for a, (label, _low, _high) in enumerate(AGE_BUCKETS):
        for p, priority in enumerate(PRIORITIES):
            conditions[f"age|{label}|{priority}"] = f"{_OPEN} AND f_age = {a} AND f_priority = {p}"
    for n in range(CHART_WEEKS):
        conditions[f"created|{n}"] = f"f_created_week = {n}"
        conditions[f"completed|{n}"] = f"f_completed_week = {n}"
    return conditions


def grouped_counts_sql(queryset, today, now):
    """One statement: the items' features (the visibility rule and filters are the
    queryset's), counted per team: ``team_id``, each of ``_count_conditions()`` in its
    order, and ``oldest_open``. Returns ``(sql, params, using)``."""
    features = _features(today, now)
    rows = queryset.order_by().annotate(**features).values("team_id", "created_at", *features)
    inner, params = rows.query.get_compiler(using=rows.db).as_sql()
    vendor = connections[rows.db].vendor
    # PostgreSQL would fold the features back into each count (undoing the point):
    # OFFSET 0 keeps the subquery as it is.
    fence = " OFFSET 0" if vendor == "postgresql" else ""
    quote = connections[rows.db].ops.quote_name
    counts = ",\n".join(
        f"COUNT(*){f' FILTER (WHERE {condition})' if condition else ''} AS {quote(name)}"
        for name, condition in _count_conditions().items()
    )
    sql = (
        f"SELECT team_id, {counts},\n"
        f"MIN(created_at) FILTER (WHERE {_OPEN}) AS oldest_open\n"
        f"FROM ({inner}{fence}) AS item GROUP BY team_id"
    )
    return sql, params, rows.db


def _grouped_sql(queryset, today, now):
    """``grouped_counts_sql`` with the team's name, most urgent team first."""
    grouped, params, using = grouped_counts_sql(queryset, today, now)
    quote = connections[using].ops.quote_name
    team = quote(Team._meta.db_table)
    sql = (
        f"SELECT g.*, t.{quote('name')} AS {quote('team__name')} FROM ({grouped}"  # noqa: S608 -- names only
        f") AS g JOIN {team} AS t ON t.{quote('id')} = g.team_id "
        f"ORDER BY g.overdue DESC, g.{quote('open')} DESC, t.{quote('name')}"
    )
    return sql, params, using


def dashboard_summary(queryset, *, today=None, now=None):
    """The tiles, the charts and the per-team table of ``queryset``: ``(figures, team_rows)``.

    One grouped query reads the items once and counts everything per team; the tiles and
    charts are the sums over the teams (a team is in the table when it has an item, so the
    sums cover every item). The median time to close cannot be summed: it is one more
    aggregate (PostgreSQL's ``percentile_cont``), or elsewhere one ordered query reading at
    most two rows. The number of queries is the same for ten items and for a million.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    try:
        sql, params, using = _grouped_sql(queryset, today, now)
    except EmptyResultSet:  # e.g. ``.none()``: nothing to count, nothing to ask
        totals = dict.fromkeys(_count_conditions(), 0)
        return _figures(totals, None, today), []
    postgres = connections[using].vendor == "postgresql"
    with transaction.atomic(using=using, savepoint=False), connections[using].cursor() as cursor:
        if postgres:
            # At 100k items the planner's estimate passes jit_above_cost, and compiling the
            # ~60 counts takes longer than running them; for this transaction only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        counts = _count_conditions()
        totals = {key: sum(row[key] for row in rows) for key in counts}
        if postgres:
            median = median_close_by_percentile(queryset) if totals["closed"] else None
        else:
            median = median_close_by_offset(queryset, totals["closed"])
    if connections[using].vendor == "sqlite":
        # SQLite hands MIN() of a datetime back as text.
        field = ActionItem._meta.get_field("created_at")
        converters = connections[using].ops.get_db_converters(Col("item", field))
        for row in rows:
            for converter in converters:
                row["oldest_open"] = converter(row["oldest_open"], Col("item", field), connection)
    return _figures(totals, median, today), _team_rows(rows, today)


def _figures(totals, median, today):
    figures = {
        key: totals[key]
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
    done = totals["done"]
    figures["on_time_rate"] = (totals["done_on_time"] / done) if done else None
    figures["median_days_to_close"] = (
        round(median.total_seconds() / 86400, 1) if median is not None else None
    )
    figures["age_chart"] = [
        {
            "label": label,
            "by_priority": [
                (priority, totals[f"age|{label}|{priority}"]) for priority in PRIORITIES
            ],
            "total": sum(totals[f"age|{label}|{p}"] for p in PRIORITIES),
        }
        for label, _low, _high in AGE_BUCKETS
    ]
    figures["week_chart"] = [
        {"start": start, "created": totals[f"created|{n}"], "completed": totals[f"completed|{n}"]}
        for n, start in enumerate(_weeks(today))
    ]
    return figures


def _team_rows(rows, today):
    """What the per-team table shows of each team's counts."""
    zone = timezone.get_current_timezone()  # once, not per team (``localdate``'s lookup)
    return [
        team_row(
            row["team_id"],
            row["team__name"],
            row["open"],
            row["overdue"],
            row["done"],
            row["done_on_time"],
            row["oldest_open"],
            today=today,
            zone=zone,
        )
        for row in rows
    ]


def team_row(team_id, name, open_, overdue, done, done_on_time, oldest_open, *, today, zone):
    """One team's row of the per-team table (the live query's and the stored counts')."""
    return {
        "team_id": team_id,
        "team__name": name,
        "open": open_,
        "overdue": overdue,
        "done": done,
        "done_on_time": done_on_time,
        "on_time_rate": done_on_time / done if done else None,
        "oldest_open": oldest_open,
        "oldest_open_days": (today - oldest_open.astimezone(zone).date()).days
        if oldest_open
        else None,
    }


def median_close_by_percentile(queryset):
    """Median time to close, by PostgreSQL's ``percentile_cont`` over days as floats
    (sorting floats is several times cheaper than sorting intervals)."""
    days = queryset.order_by().aggregate(
        median=PercentileCont(
            DaysBetween("completed_at", "created_at"),
            filter=is_closed(),
            output_field=FloatField(),
        )
    )["median"]
    return None if days is None else datetime.timedelta(days=days)


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
