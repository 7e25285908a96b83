"""Celery finds an app's tasks in its ``tasks`` module; the integrations' live in their
packages."""

from .slack_import.tasks import discard_stale_slack_uploads
from .trackers.tasks import deliver_tracker_message, resend_stalled_tracker_messages

__all__ = [
    "deliver_tracker_message",
    "discard_stale_slack_uploads",
    "resend_stalled_tracker_messages",
]
