import datetime
import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import OperationalError

from . import services
from .slack import client as slack

logger = logging.getLogger(__name__)

# Tries that can fail (5xx, timeouts, connection errors) before the message is marked failed.
FAILURE_TRIES = 5
# Extra retries allowed for Slack's 429s on top of the failure retries.
RATE_LIMIT_RETRIES = 20
BACKOFF_MAX_SECONDS = 600


class SlackTemporaryError(Exception):
    """5xx, timeout or connection error: worth another try later."""


def _backoff_countdown(failures):
    # Exponential with full jitter, like Celery's ``retry_backoff``, but the factor is read
    # at run time (``SLACK_RETRY_BACKOFF_SECONDS``) so a test or an operator can change it.
    return get_exponential_backoff_interval(
        factor=int(settings.SLACK_RETRY_BACKOFF_SECONDS),
        retries=failures,
        maximum=BACKOFF_MAX_SECONDS,
        full_jitter=True,
    )


@shared_task(
    bind=True,
    max_retries=FAILURE_TRIES - 1 + RATE_LIMIT_RETRIES,
    # Safe: a redelivered task finds the message sent, or held by a fresh lease.
    acks_late=True,
    # The database busy or away: before the post nothing was taken, so a later try sends
    # it; after the post the lease stays, and the re-dispatch takes over once it expires.
    autoretry_for=(OperationalError,),
    retry_backoff=True,
)
def deliver_slack_message(self, message_id, failures=0):
    """Deliver one outbox message: five tries for failures, then ``failed``.

    ``failures`` counts the tries that failed (carried from retry to retry), so Slack's
    429s wait for Retry-After without using up the tries meant for failures; the request's
    retry count includes both and only caps the total.
    """
    final = failures >= FAILURE_TRIES - 1 or self.request.retries >= self.max_retries
    result = services.slack_message_attempt(message_id=message_id, final_attempt=final)
    if result is None or result.ok:
        return
    if result.status == slack.RATE_LIMITED and not final:
        # Slack says when to come back; the worker is free for other teams meanwhile.
        raise self.retry(
            countdown=result.retry_after,
            kwargs={"message_id": message_id, "failures": failures},
        )
    if result.status == slack.RETRYABLE and not final:
        raise self.retry(
            exc=SlackTemporaryError(result.error),
            countdown=_backoff_countdown(failures),
            kwargs={"message_id": message_id, "failures": failures + 1},
        )


@shared_task(ignore_result=True)
def redispatch_slack_messages(never_tried_for_seconds=3600):
    """Every ten minutes (beat): queue again the Slack messages whose delivery task was
    lost (never tried for an hour: the broker lost it) or whose worker died mid-post (its
    lease expired). Returns how many."""
    return len(
        services.slack_messages_redispatch(
            never_tried_for=datetime.timedelta(seconds=never_tried_for_seconds)
        )
    )
