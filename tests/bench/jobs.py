"""Figures of the background work: reminder sweep, theme roll-up, blame detector."""

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
    """``actions.reminders.sweep`` with every team's webhook on a loopback Slack and Celery
    eager, so each team's message is really delivered during the sweep. Run ``runs`` times
    from a clean slate (no reminders sent yet today); the time is the median."""
    from actions.models import ActionItem, ReminderLog
    from actions.reminders import candidate_items, sweep
    from config.celery import app
    from postmortems.models import SlackMessage, Team
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
        times = []
        for _ in range(runs):
            ReminderLog.objects.all().delete()
            SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS).delete()
            receiver.requests.clear()
            with (
                override_settings(
                    SLACK_WEBHOOK_ALLOWED_HOSTS=["hooks.slack.com", receiver.origin],
                    SLACK_RETRY_BACKOFF_SECONDS=0,
                ),
                counting_queries() as counter,
            ):
                began = time.perf_counter()
                report = sweep()
                times.append(time.perf_counter() - began)
        return {
            "open_items": open_items.count(),
            "teams_with_open_items": open_items.values("team_id").distinct().count(),
            "candidate_items": candidates.count(),
            "teams_with_candidates": teams_with_candidates,
            "items_considered": report.items_considered,
            "reminders_claimed": report.reminders_claimed,
            "teams_with_due_items": report.teams,
            "messages_queued": report.messages_queued,
            "messages_sent": report.messages_sent,
            "messages_failed": report.messages_failed,
            "slack_requests_received": len(receiver.requests),
            "seconds": statistics.median(times),
            "runs_seconds": times,
            "queries": counter["queries"],
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


def lint_speed(text, runs=200):
    """Milliseconds per ``find_blame`` call on ``text``: median and p95 of ``runs`` calls."""
    from postmortems.language import find_blame
    from postmortems.language_eval import CORPUS_PEOPLE

    find_blame(text, people=CORPUS_PEOPLE)
    times = []
    findings = 0
    for _ in range(runs):
        began = time.perf_counter()
        findings = len(find_blame(text, people=CORPUS_PEOPLE))
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {
        "bytes": len(text.encode()),
        "runs": runs,
        "findings": findings,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
    }


def language_quality():
    """Precision and recall of the blame detector per language and rule."""
    from postmortems import language_eval

    results = {
        language: language_eval.evaluate(path)
        for language, path in language_eval.CORPORA.items()
        if path.exists()
    }
    summary = {
        language: {
            key: result[key]
            for key in (
                "examples",
                "blame",
                "neutral",
                "true_positives",
                "false_positives",
                "false_negatives",
                "precision",
                "recall",
                "per_rule",
            )
        }
        for language, result in results.items()
    }
    return summary, language_eval.table(results)
