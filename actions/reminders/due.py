"""Today's due reminders computed by the database: one query per kind, each returning only
the items due for that kind (``schedule.kinds_due`` states the same rules for one item; the
tests hold the two to the same answers).

At 100k open items most of them are not due on any given day (overdue and unassigned
reminders come once a week), so the rows that leave the database are the due ones, not
every candidate, and no look-back of earlier reminders is read into memory.
"""

from datetime import date, timedelta
from typing import Any, NamedTuple

from django.db.models import DateField, Exists, F, Func, IntegerField, OuterRef, QuerySet, Value
from django.db.models.functions import Mod, TruncDate
from django.db.models.lookups import Exact
from django.utils import timezone

from postmortems.dates import day_start

from ..models import ActionItem, ReminderLog
from .schedule import OVERDUE_EVERY_DAYS, UNASSIGNED_AFTER_DAYS, UNASSIGNED_EVERY_DAYS

Kind = ReminderLog.Kind
State = ReminderLog.State


class Due(NamedTuple):
    item_id: int
    team_id: int
    kind: str
    claimed_today: bool  # an earlier (or concurrent, committed) sweep holds today's claim


class DaysBetween(Func):
    """Whole days from the date ``start`` to the date ``end`` (negative when ``end`` is
    earlier)."""

    output_field = IntegerField()
    arity = 2

    def _sides(self, compiler):
        start, end = self.get_source_expressions()
        return compiler.compile(start), compiler.compile(end)

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: date - date is a whole number of days.
        (start, start_params), (end, end_params) = self._sides(compiler)
        return f"(({end})::date - ({start})::date)", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        (start, start_params), (end, end_params) = self._sides(compiler)
        sql = f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"
        return sql, [*end_params, *start_params]


def _day(value: date) -> Value:
    return Value(value, output_field=DateField())


def _claimed(kind: str, on: date, **extra) -> Exists:
    return Exists(ReminderLog.objects.filter(item=OuterRef("pk"), kind=kind, for_date=on, **extra))


def due_querysets(today: date, soon_days: int) -> dict[str, QuerySet[Any]]:
    """``{kind: queryset of the open items due for it today}``, each annotated with
    ``claimed_today``."""
    yesterday = today - timedelta(days=1)
    open_items = ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES).annotate(
        today=_day(today)
    )
    failed_yesterday = {
        kind: _claimed(kind, yesterday, state=State.FAILED)
        for kind in (Kind.OVERDUE, Kind.UNASSIGNED)
    }
    # A due-soon reminder got through (not failed) earlier inside the item's window.
    soon_got_through = Exists(
        ReminderLog.objects.filter(item=OuterRef("pk"), kind=Kind.DUE_SOON, for_date__lt=today)
        .exclude(state=State.FAILED)
        .annotate(before_due=DaysBetween(F("for_date"), OuterRef("due_date")))
        .filter(before_due__lte=soon_days)
    )
    zone = timezone.get_current_timezone()
    querysets = {
        Kind.DUE_TODAY: open_items.filter(due_date=today),
        Kind.DUE_SOON: open_items.filter(
            due_date__gte=today + timedelta(days=1),
            due_date__lte=today + timedelta(days=soon_days),
        ).filter(~soon_got_through),
        Kind.OVERDUE: open_items.filter(due_date__lt=today)
        .annotate(days_overdue=DaysBetween(F("due_date"), F("today")))
        .filter(
            Exact(Mod(F("days_overdue"), OVERDUE_EVERY_DAYS), 1) | failed_yesterday[Kind.OVERDUE]
        ),
        Kind.UNASSIGNED: open_items.filter(
            assignee__isnull=True,
            # The local day of creation is at least UNASSIGNED_AFTER_DAYS ago.
            created_at__lt=day_start(today - timedelta(days=UNASSIGNED_AFTER_DAYS - 1)),
        )
        .annotate(
            created_on=TruncDate("created_at", tzinfo=zone),
        )
        .annotate(age=DaysBetween(F("created_on"), F("today")))
        .filter(
            Exact(Mod(F("age") - UNASSIGNED_AFTER_DAYS, UNASSIGNED_EVERY_DAYS), 0)
            | failed_yesterday[Kind.UNASSIGNED]
        ),
    }
    return {
        kind: qs.annotate(claimed_today=_claimed(kind, today)) for kind, qs in querysets.items()
    }


def due_reminders(today: date, soon_days: int) -> list[Due]:
    """Every reminder due today, in (item, kind) order: the order every sweep inserts its
    claims in, so two sweeps at the same time never deadlock."""
    due: list[Due] = []
    for kind, queryset in due_querysets(today, soon_days).items():
        due.extend(
            Due(item_id, team_id, kind, claimed)
            for item_id, team_id, claimed in queryset.values_list("pk", "team_id", "claimed_today")
        )
    due.sort(key=lambda row: (row.item_id, row.kind))
    return due
