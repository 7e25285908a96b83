"""The conditions and SQL expressions the dashboard's figures are made of."""

import datetime

from django.db.models import (
    Aggregate,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from ..models import ActionItem


def is_open() -> Q:
    return Q(status__in=ActionItem.OPEN_STATUSES)


def is_overdue(today: datetime.date) -> Q:
    return is_open() & Q(due_date__lt=today)


def is_closed() -> Q:
    return Q(status__in=ActionItem.CLOSED_STATUSES, completed_at__isnull=False)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(p) WITHIN GROUP (ORDER BY x)``."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, percentile=0.5, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


class LocalDate(Func):
    """The date of a datetime in the current time zone.

    Elsewhere this is ``TruncDate``; on SQLite that calls a Python function per row, so
    there it shifts by the zone's current UTC offset with SQLite's own ``date()`` (exact
    for UTC, the default; at most an hour off around a DST change in other zones).
    """

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(TruncDate(*self.source_expressions))

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        offset = int(timezone.localtime().utcoffset().total_seconds())
        return f"date({sql}, %s)", (*params, f"{offset:+d} seconds")


def is_on_time():
    """Done on or before the due date (by the local date of ``completed_at``)."""
    return Q(status=ActionItem.Status.DONE) & LessThanOrEqual(
        LocalDate("completed_at"), F("due_date")
    )


class DaysBetween(Func):
    """``end - start`` in days, as a float (SQLite: native ``julianday``)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return (
            f"(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 86400.0)",
            (*end[1], *start[1]),
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return f"(julianday({end[0]}) - julianday({start[0]}))", (*end[1], *start[1])


def time_to_close():
    return ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())
