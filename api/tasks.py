"""Delivery of outgoing webhooks: retries with back-off, like the Slack outbox."""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from . import services
from .webhooks import transport

# Tries that can fail (5xx, timeouts, connection errors) before the delivery is failed.
FAILURE_TRIES = 5
RATE_LIMIT_RETRIES = 20
BACKOFF_MAX_SECONDS = 600


class WebhookTemporaryError(Exception):
    """5xx, timeout or connection error: worth another try later."""


def _backoff_countdown(failures):
    return get_exponential_backoff_interval(
        factor=int(settings.WEBHOOK_RETRY_BACKOFF_SECONDS),
        retries=failures,
        maximum=BACKOFF_MAX_SECONDS,
        full_jitter=True,
    )


@shared_task(
    bind=True,
    max_retries=FAILURE_TRIES - 1 + RATE_LIMIT_RETRIES,
    acks_late=True,  # safe: the delivery row is claimed under a lock and sent at most once
)
def deliver_webhook(self, delivery_id, failures=0):
    """Deliver one outbox row: five tries for failures, 429s wait for Retry-After."""
    final = failures >= FAILURE_TRIES - 1 or self.request.retries >= self.max_retries
    result = services.webhook_delivery_attempt(delivery_id=delivery_id, final_attempt=final)
    if result is None or result.ok or final:
        return
    if result.status == transport.RATE_LIMITED:
        raise self.retry(
            countdown=result.retry_after,
            kwargs={"delivery_id": delivery_id, "failures": failures},
        )
    if result.status == transport.RETRYABLE:
        raise self.retry(
            exc=WebhookTemporaryError(result.error),
            countdown=_backoff_countdown(failures),
            kwargs={"delivery_id": delivery_id, "failures": failures + 1},
        )
