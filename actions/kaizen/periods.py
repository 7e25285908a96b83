"""Kaizen periods: Monday-to-Sunday weeks in ``settings.TIME_ZONE``. A postmortem belongs
to the week its incident started in (``started_at``, or ``created_at`` when unknown)."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from postmortems import dates

WEEK = datetime.timedelta(days=7)


def zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def last_completed_week_end(now: datetime.datetime | None = None) -> datetime.date:
    """The Sunday that ended the last full Monday-to-Sunday week, in ``settings.TIME_ZONE``."""
    today = timezone.localtime(now or timezone.now(), zone()).date()
    return today - datetime.timedelta(days=today.weekday() + 1)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(Monday, Sunday) of the week containing ``day``."""
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in ``settings.TIME_ZONE`` (periods are the
    organisation's weeks, not the reader's)."""
    return dates.day_start(day, zone())


def as_date(value: object) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def periods_between(
    first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """Monday-to-Sunday weeks overlapping [first, last], oldest first."""
    start, _ = week_of(first)
    weeks = []
    while start <= last:
        weeks.append((start, start + datetime.timedelta(days=6)))
        start += WEEK
    return weeks
