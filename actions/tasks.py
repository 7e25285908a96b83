"""Celery tasks of the actions app: thin wrappers that call the domain modules."""

import datetime

from celery import shared_task
from django.db import OperationalError

from . import kaizen, reminders, services


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
)
def theme_rollup(period_end=None):
    """Weekly: roll up the last completed week, then queue each team's Kaizen digest.

    The weeks before it are rolled up again too: postmortems are often written days after
    the incident, and they count in the week the incident started. Re-running replaces the
    roll-up rows (the digest is queued again)."""
    results = kaizen.rollup_weeks(period_end=period_end, weeks=kaizen.REFRESH_WEEKS)
    end = results[-1].period_end
    kaizen.send_digests(end)
    return {"period_end": end.isoformat(), "rows": sum(r.rows for r in results)}


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
)
def reminder_sweep(today=None):
    """Hourly: claim today's reminders and queue one Slack message per team.

    Each (item, kind, day) is claimed once in the database, so the hourly runs, a retry
    after a database error, or two beats by mistake never remind twice. ``today``
    (YYYY-MM-DD) is for replaying a day; beat passes nothing."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminders.sweep(day).as_dict()


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
)
def dashboard_counts_rebuild():
    """Just after midnight: count again, as of the new day, every team whose dashboard
    counts are of an earlier one (each team in its own short transaction; a read does it
    for a few teams itself when this has not run yet). Nothing to do on SQLite."""
    return {"teams": services.dashboard_counts_rebuild()}


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
)
def kaizen_open_items_rebuild():
    """Just after midnight: count the Kaizen page's open items again, overdue as of the new
    day (a read counts the items that fell due since the stored day itself, so this only
    keeps that part small). Nothing to do on SQLite."""
    return {"rebuilt": services.kaizen_open_items_rebuild()}
