import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from . import http, services

logger = logging.getLogger(__name__)

FAILURE_TRIES = services.MAX_ATTEMPTS
BACKOFF_MAX_SECONDS = 600


class TrackerTemporaryError(Exception):
    """429, 5xx, timeout or connection error: worth another try later."""


@shared_task(bind=True, max_retries=FAILURE_TRIES - 1, acks_late=True)
def deliver_tracker_message(self, message_id):
    """Send one outbox message: five tries with exponential back-off, then ``failed``."""
    final = self.request.retries >= self.max_retries
    answer = services.message_attempt(message_id=message_id, final_attempt=final)
    if answer is None or answer.ok or answer.status != http.RETRYABLE or final:
        return
    countdown = answer.retry_after or get_exponential_backoff_interval(
        factor=int(settings.TRACKER_RETRY_BACKOFF_SECONDS),
        retries=self.request.retries,
        maximum=BACKOFF_MAX_SECONDS,
        full_jitter=True,
    )
    raise self.retry(exc=TrackerTemporaryError(answer.error), countdown=min(countdown, 600))


@shared_task
def resend_stalled_tracker_messages():
    """Beat, every 30 minutes: see ``services.messages_resend_stalled``."""
    return services.messages_resend_stalled()
