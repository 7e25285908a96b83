"""Figures of the background work: reminder sweep, theme roll-up (the blame detector's
are in ``blame``)."""

# The apps' code is imported inside the functions: ``__main__`` chooses the database and
# calls django.setup() before any of them runs (a module-level import would be too early).

import statistics
import time
from contextlib import contextmanager

from django.db import connection
from django.test import override_settings


@contextmanager
def counting_queries():
    """Counts every statement sent to the database (no cap, unlike the debug query log)."""
    counter = {"queries": 0}

    def wrapper(execute, sql, params, many, context):
        counter["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def sweep_figures(runs=3):
    """``actions.reminders.sweep`` with every team's webhook on a loopback Slack, run
    ``runs`` times from a clean slate (no reminders sent yet today); times are medians.

    ``seconds`` is the sweep as the worker running ``reminder_sweep`` spends it: due sets,
    claims, messages built and queued. Their deliveries (one task per message, spread over
    the workers in production) are then run here one after the other, Celery eager, and
    timed apart (``delivery_seconds``); ``with_delivery_seconds`` is the sum, the figure
    earlier runs printed as the sweep's."""
    from unittest import mock

    from actions.models import ActionItem, ReminderLog
    from actions.reminders import candidate_items, sweep
    from config.celery import app
    from postmortems.models import SlackMessage, Team
    from postmortems.tasks import deliver_slack_message
    from tests.fixtures import SlackReceiver

    receiver = SlackReceiver()
    receiver.thread.start()
    eager = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        Team.objects.update(slack_webhook_url=receiver.url(), slack_webhook_disabled_reason="")
        open_items = ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES)
        candidates = candidate_items(_today())
        teams_with_candidates = candidates.values("team_id").distinct().count()
        times, delivery_times = [], []
        for _ in range(runs):
            ReminderLog.objects.all().delete()
            SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS).delete()
            receiver.requests.clear()
            queued = []
            with override_settings(
                SLACK_WEBHOOK_ALLOWED_HOSTS=["hooks.slack.com", receiver.origin],
                SLACK_RETRY_BACKOFF_SECONDS=0,
            ):
                with (
                    mock.patch.object(deliver_slack_message, "delay", queued.append),
                    counting_queries() as counter,
                ):
                    began = time.perf_counter()
                    report = sweep()
                    times.append(time.perf_counter() - began)
                with counting_queries() as delivery_counter:
                    began = time.perf_counter()
                    for message_id in queued:
                        deliver_slack_message.delay(message_id)
                    delivery_times.append(time.perf_counter() - began)
        sent = SlackMessage.objects.filter(
            pk__in=report.message_ids, state=SlackMessage.State.SENT
        ).count()
        return {
            "open_items": open_items.count(),
            "teams_with_open_items": open_items.values("team_id").distinct().count(),
            "candidate_items": candidates.count(),
            "teams_with_candidates": teams_with_candidates,
            "items_considered": report.items_considered,
            "reminders_claimed": report.reminders_claimed,
            "teams_with_due_items": report.teams,
            "messages_queued": report.messages_queued,
            "messages_sent": sent,
            "messages_failed": SlackMessage.objects.filter(
                pk__in=report.message_ids, state=SlackMessage.State.FAILED
            ).count(),
            "slack_requests_received": len(receiver.requests),
            "seconds": statistics.median(times),
            "runs_seconds": times,
            "queries": counter["queries"],
            "delivery_seconds": statistics.median(delivery_times),
            "delivery_queries": delivery_counter["queries"],
            "with_delivery_seconds": statistics.median(
                [a + b for a, b in zip(times, delivery_times, strict=True)]
            ),
        }
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = eager
        receiver.server.shutdown()
        receiver.server.server_close()


def _today():
    from django.utils import timezone

    return timezone.localdate()


def rollup_figures(runs=3):
    """``actions.kaizen.rollup`` of the last completed week over the whole data set, after
    one warm-up run (cold database caches); the time is the median of ``runs``."""
    from actions.kaizen import rollup

    rollup()
    times = []
    for _ in range(runs):
        with counting_queries() as counter:
            began = time.perf_counter()
            result = rollup()
            times.append(time.perf_counter() - began)
    return {
        "period": f"{result.period_start}..{result.period_end}",
        "rows": result.rows,
        "seconds": statistics.median(times),
        "runs_seconds": times,
        "queries": counter["queries"],
    }


def rollup_history(weeks=12):
    """Roll-ups of the last ``weeks`` weeks, so the Kaizen page has its trends."""
    from actions.kaizen import rollup_weeks

    began = time.perf_counter()
    rollup_weeks(weeks=weeks)
    return time.perf_counter() - began
