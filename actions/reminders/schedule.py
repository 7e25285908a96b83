"""Which reminder kinds an open item is due for on a day (see the package's docstring)."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from postmortems.dates import day_start

from ..models import ActionItem, ReminderLog

Kind = ReminderLog.Kind
State = ReminderLog.State

OVERDUE_EVERY_DAYS = 7
UNASSIGNED_AFTER_DAYS = 2
UNASSIGNED_EVERY_DAYS = 7


def kinds_due(
    *,
    today: date,
    due_date: date,
    created_on: date,
    has_assignee: bool,
    history: dict[str, Any] | None = None,
    soon_days: int | None = None,
) -> list[str]:
    """The reminder kinds one open item is due for on ``today``.

    ``history`` maps a kind to the item's recent ``(for_date, state)`` reminders of that
    kind (the last ``REMINDER_DUE_SOON_DAYS`` days are enough). Reminders for ``today`` are
    not looked at: whether today's is already claimed is the unique claim's business.
    """
    soon_days = settings.REMINDER_DUE_SOON_DAYS if soon_days is None else soon_days
    history = history or {}
    yesterday = today - timedelta(days=1)

    def failed_yesterday(kind):
        return any(d == yesterday and st == State.FAILED for d, st in history.get(kind, ()))

    def got_through_since(kind, start):
        return any(start <= d < today and st != State.FAILED for d, st in history.get(kind, ()))

    kinds: list[str] = []
    days_left = (due_date - today).days
    if days_left == 0:
        kinds.append(Kind.DUE_TODAY)
    elif 1 <= days_left <= soon_days:
        if not got_through_since(Kind.DUE_SOON, due_date - timedelta(days=soon_days)):
            kinds.append(Kind.DUE_SOON)
    elif days_left < 0:
        days_overdue = -days_left
        if days_overdue % OVERDUE_EVERY_DAYS == 1 or failed_yesterday(Kind.OVERDUE):
            kinds.append(Kind.OVERDUE)
    age = (today - created_on).days
    if not has_assignee and age >= UNASSIGNED_AFTER_DAYS:
        weekly_day = (age - UNASSIGNED_AFTER_DAYS) % UNASSIGNED_EVERY_DAYS == 0
        if weekly_day or failed_yesterday(Kind.UNASSIGNED):
            kinds.append(Kind.UNASSIGNED)
    return kinds


def candidate_items(today: date, soon_days: int | None = None) -> QuerySet[ActionItem]:
    """Open items that may need a reminder today (the schedule then decides)."""
    soon_days = settings.REMINDER_DUE_SOON_DAYS if soon_days is None else soon_days
    created_before = day_start(today - timedelta(days=UNASSIGNED_AFTER_DAYS - 1))
    return ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES).filter(
        Q(due_date__lte=today + timedelta(days=soon_days))
        | Q(assignee__isnull=True, created_at__lt=created_before)
    )
