"""Celery: the broker, the worker's options and beat's schedule (names map to Celery's
lowercase settings through ``namespace="CELERY"``)."""

import os
from datetime import timedelta

from celery.schedules import crontab

from config.env import env_bool, env_int

from .base import TIME_ZONE, VAR_DIR

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers unacknowledged messages after this long; we never schedule
    # long countdowns (due dates are stored and swept), so one hour is plenty.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_SECONDS", 3600)
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "hindsight")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "actions.tasks.reminder_sweep",
        "schedule": crontab(minute=5),
        "options": {"expires": int(timedelta(minutes=55).total_seconds())},
    },
    # The dashboard's stored counts are as of a day: counted again once it changes.
    "dashboard-counts": {
        "task": "actions.tasks.dashboard_counts_rebuild",
        "schedule": crontab(minute=1, hour=0),
        "options": {"expires": int(timedelta(hours=12).total_seconds())},
    },
    # The Kaizen page's stored open items are overdue as of a day: counted again daily.
    "kaizen-open-items": {
        "task": "actions.tasks.kaizen_open_items_rebuild",
        "schedule": crontab(minute=3, hour=0),
        "options": {"expires": int(timedelta(hours=12).total_seconds())},
    },
    "theme-rollup": {
        "task": "actions.tasks.theme_rollup",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
    "slack-uploads-cleanup": {
        "task": "integrations.slack_import.tasks.discard_stale_slack_uploads",
        "schedule": crontab(minute=20, hour=3),
    },
    "slack-outbox-redispatch": {
        "task": "postmortems.tasks.redispatch_slack_messages",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": int(timedelta(minutes=9).total_seconds())},
    },
    "tracker-outbox-resend": {
        "task": "integrations.trackers.tasks.resend_stalled_tracker_messages",
        "schedule": crontab(minute="*/30"),
        "options": {"expires": int(timedelta(minutes=25).total_seconds())},
    },
}
