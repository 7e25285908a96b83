"""Figures computed two ways (Python or OFFSET for SQLite, SQL aggregates for PostgreSQL)
must agree: both run here on the same data. PostgreSQL only (CI runs it there)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from actions.dashboard.figures import median_close_by_offset, median_close_by_percentile
from actions.metrics import ALL, action_rows, build_report, incident_rows, report_sql
from actions.models import ActionItem
from actions.tests.test_metrics import FIGURES
from postmortems.models import Severity
from tests.factories import ActionItemFactory, PostmortemFactory, TeamFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the SQL implementations need PostgreSQL"
    ),
]


def _incidents(team, today):
    severities = list(Severity)
    for n in range(23):
        started = timezone.now() - datetime.timedelta(days=7 * n + 1, hours=n)
        PostmortemFactory(
            team=team,
            severity=severities[n % 4],
            started_at=started,
            detected_at=None if n % 5 == 0 else started + datetime.timedelta(minutes=3 * n + 1),
            resolved_at=None if n % 7 == 0 else started + datetime.timedelta(hours=n % 6 + 1),
            published_at=None if n % 3 == 0 else started + datetime.timedelta(days=n % 4 + 1),
            caused_by_change=n % 2 == 0,
        )


def _items(team, today):
    statuses = [ActionItem.Status.DONE, ActionItem.Status.OPEN, ActionItem.Status.WONT_DO]
    for n in range(17):
        item = ActionItemFactory(team=team, status=statuses[n % 3])
        due = today - datetime.timedelta(days=5 * n)
        completed = None
        if item.status != ActionItem.Status.OPEN:
            completed = timezone.now() - datetime.timedelta(days=5 * n + (n % 3) - 1)
        ActionItem.objects.filter(pk=item.pk).update(
            due_date=due,
            completed_at=completed,
            created_at=timezone.now() - datetime.timedelta(days=5 * n + 10, hours=n),
        )


def test_the_sql_metrics_equal_the_python_metrics_on_the_same_data():
    today = timezone.localdate()
    team = TeamFactory()
    _incidents(team, today)
    _items(team, today)
    first, last = today - datetime.timedelta(days=200), today
    tz = timezone.get_current_timezone()
    python = build_report(
        incident_rows(first=first, last=last, tz=tz),
        action_rows(first=first, last=last),
        first=first,
        last=last,
        today=today,
        tz=tz,
    )
    sql = report_sql(first=first, last=last, team=None, today=today, tz=tz)
    assert python.months == sql.months
    for severity in [ALL, *Severity.values]:
        for month in python.months:
            for name in FIGURES:
                expected = getattr(python.bucket(month, severity), name)
                assert getattr(sql.bucket(month, severity), name) == expected, (month, name)
        for name in FIGURES:
            assert getattr(sql.totals[severity], name) == getattr(python.totals[severity], name)


def test_both_ways_to_the_median_time_to_close_agree():
    team = TeamFactory()
    _items(team, timezone.localdate())
    items = ActionItem.objects.all()
    closed = items.filter(status__in=ActionItem.CLOSED_STATUSES).count()
    by_offset = median_close_by_offset(items, closed)
    by_percentile = median_close_by_percentile(items)
    assert abs(by_offset - by_percentile) < datetime.timedelta(seconds=1)
