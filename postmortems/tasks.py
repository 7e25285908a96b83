import logging

from celery import shared_task

from . import services, slack

logger = logging.getLogger(__name__)


class SlackTemporaryError(Exception):
    """5xx, timeout or connection error: worth another try later."""


@shared_task(
    bind=True,
    autoretry_for=(SlackTemporaryError,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=4,  # five tries in all, then the message is marked failed
    acks_late=True,  # safe: the message row is claimed under a lock and sent at most once
)
def deliver_slack_message(self, message_id):
    final = self.request.retries >= self.max_retries
    result = services.slack_message_attempt(message_id=message_id, final_attempt=final)
    if result is None or result.ok:
        return
    if result.status == slack.RATE_LIMITED:
        # Slack says when to come back; the worker is free for other teams meanwhile.
        # Rate limits don't use up the tries meant for failures.
        raise self.retry(countdown=result.retry_after, max_retries=self.max_retries + 20)
    if result.status == slack.RETRYABLE and not final:
        raise SlackTemporaryError(result.error)
