"""The Slack outbox: every message is a ``SlackMessage`` row first, delivered after commit.

The row is the durable record: if the webhook is missing or failing, the message is still
there with its state and error, visible in the UI. Delivery (``slack_message_attempt``)
locks the row, so two workers handed the same message cannot both post it.
"""

import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from ..models import SlackMessage, Team
from . import client

logger = logging.getLogger(__name__)

# Sent once a Slack message reaches a final state (sent, failed, skipped_no_webhook), so
# other apps (reminder logs) can follow it without this app knowing about them.
slack_message_finished = Signal()


def slack_message_enqueue(*, team: Team, kind: str, payload: dict[str, Any]) -> SlackMessage:
    """Record a Slack message and deliver it after the surrounding transaction commits."""
    # Imported here: the task module imports the services, which import this module.
    from ..tasks import deliver_slack_message

    message = SlackMessage.objects.create(team=team, kind=kind, payload=payload)
    transaction.on_commit(lambda: deliver_slack_message.delay(message.pk))
    return message


def slack_messages_enqueue(
    *, teams: Sequence[Team], kind: str, payload: dict[str, Any]
) -> list[SlackMessage]:
    """One message per team in one INSERT, each delivered after the surrounding transaction
    commits. The caller may fill in the payloads, or delete a message it has no use for,
    before then (a deleted message's delivery finds nothing to send)."""
    from ..tasks import deliver_slack_message

    messages = SlackMessage.objects.bulk_create(
        [SlackMessage(team=team, kind=kind, payload=payload) for team in teams]
    )
    message_ids = [message.pk for message in messages]

    def deliver():
        for message_id in message_ids:
            deliver_slack_message.delay(message_id)

    transaction.on_commit(deliver)
    return messages


def team_disable_slack_webhook(*, team: Team, reason: str) -> None:
    """Switch a webhook off after Slack said it is gone; managers see a banner."""
    Team.objects.filter(pk=team.pk).update(slack_webhook_disabled_reason=reason[:200])
    team.slack_webhook_disabled_reason = reason[:200]
    logger.warning("team %s: Slack webhook disabled (%s)", team.slug, reason)


def _finish(message: SlackMessage, state: str, error: str = "") -> None:
    message.state = state
    message.last_error = error[:500]
    message.sending_since = None
    if state == SlackMessage.State.SENT:
        message.sent_at = timezone.now()
    message.save(update_fields=["state", "last_error", "sent_at", "attempts", "sending_since"])
    slack_message_finished.send(sender=SlackMessage, message=message)


def _lease() -> timedelta:
    return timedelta(seconds=settings.SLACK_SEND_LEASE_SECONDS)


def slack_message_attempt(
    *, message_id: int, final_attempt: bool = False
) -> client.SlackResult | None:
    """Try to deliver one pending message once. Returns the SlackResult, or None when
    there was nothing to send (already final, no usable webhook, or another worker is
    posting it right now).

    Two short transactions around the HTTP request, none during it: the first takes the
    message (a lease, ``sending_since``), the second records the answer right after it
    came. A task handed the same message meanwhile (a redelivery after a broker restart,
    a re-dispatch) sees the fresh lease and leaves it. What remains: a worker killed
    after Slack took the post but before the second transaction commits leaves the lease
    to expire, and the re-dispatch posts the message again — at least once, not exactly
    once, in that window of a few milliseconds (Slack's webhooks take no idempotency key).
    """
    with transaction.atomic():
        message = (
            SlackMessage.objects.select_for_update()
            .select_related("team")
            .filter(pk=message_id, state=SlackMessage.State.PENDING)
            .first()
        )
        if message is None:
            return None
        now = timezone.now()
        if message.sending_since is not None and message.sending_since > now - _lease():
            logger.info("Slack message %s is being posted by another worker", message_id)
            return None
        team = message.team
        if not team.slack_webhook_url:
            _finish(message, SlackMessage.State.SKIPPED_NO_WEBHOOK, "no webhook configured")
            return None
        if team.slack_webhook_disabled_reason:
            _finish(
                message,
                SlackMessage.State.FAILED,
                f"webhook disabled: {team.slack_webhook_disabled_reason}",
            )
            return None
        message.attempts += 1
        message.sending_since = now
        message.save(update_fields=["attempts", "sending_since"])
    result = client.post(team.slack_webhook_url, message.payload)
    _record_answer(message, team, result, final_attempt, leased=now)
    return result


# Pauses between tries of recording an answer after a database error (seconds).
RECORD_RETRY_PAUSES = (0.1, 0.5, 1, 2)


def _record_answer(
    message: SlackMessage,
    team: Team,
    result: client.SlackResult,
    final_attempt: bool,
    *,
    leased: datetime,
) -> None:
    """Record the answer, trying again on a fresh connection after a database error while
    the lease holds. Slack has the post by now: an answer left unrecorded keeps the lease
    until it expires, and the message is then posted again."""
    pauses = iter(RECORD_RETRY_PAUSES)
    while True:
        try:
            with transaction.atomic():
                _record(message, team, result, final_attempt, leased=leased)
            return
        except OperationalError:
            pause = next(pauses, None)
            # Inside a caller's transaction the connection is not ours to replace.
            if pause is None or connection.in_atomic_block:
                raise
            if timezone.now() + timedelta(seconds=pause) >= leased + _lease():
                raise
            logger.warning(
                "Slack message %s: recording the answer failed; trying again", message.pk
            )
            connection.close()
            time.sleep(pause)


def _outcome(
    message: SlackMessage, team: Team, result: client.SlackResult, final_attempt: bool
) -> tuple[str, str]:
    """(state, error) the answer leaves the message in."""
    if result.ok:
        return SlackMessage.State.SENT, ""
    if result.status == client.DEAD:
        return SlackMessage.State.FAILED, result.error
    if result.status == client.INVALID:
        # Slack refused what we sent: our bug, not the network's. Never retried.
        logger.error(
            "Slack refused message %s for team %s: %s", message.pk, team.slug, result.error
        )
        return SlackMessage.State.FAILED, result.error
    if final_attempt:
        return SlackMessage.State.FAILED, result.error
    return SlackMessage.State.PENDING, result.error


def _record(
    message: SlackMessage,
    team: Team,
    result: client.SlackResult,
    final_attempt: bool,
    *,
    leased: datetime,
) -> None:
    state, error = _outcome(message, team, result, final_attempt)
    message.state = state
    message.last_error = error[:500]
    message.sending_since = None
    if state == SlackMessage.State.SENT:
        message.sent_at = timezone.now()
    # Only while our lease holds: once it expired, a re-dispatched task may have taken the
    # message over (and posted it too). One conditional UPDATE, no read first.
    held = SlackMessage.objects.filter(
        pk=message.pk, state=SlackMessage.State.PENDING, sending_since=leased
    ).update(
        state=message.state,
        last_error=message.last_error,
        sending_since=None,
        sent_at=message.sent_at,
    )
    if not held:
        logger.warning(
            "Slack message %s: answer %s came after the lease expired; not recorded",
            message.pk,
            result.status,
        )
        return
    if result.status == client.DEAD:
        team_disable_slack_webhook(team=team, reason=result.error)
    if state != SlackMessage.State.PENDING:
        slack_message_finished.send(sender=SlackMessage, message=message)


def slack_messages_redispatch(
    *,
    never_tried_for: timedelta,
    kinds: Sequence[str] = (),
    not_older_than: timedelta | None = None,
) -> list[int]:
    """Queue the delivery again of pending messages no task holds any more: never tried
    for ``never_tried_for`` (their task was lost, e.g. with the broker's memory), or whose
    lease expired (their worker died mid-post). Safe against a task that is alive after
    all: the attempt skips a message that is no longer pending or whose lease is fresh.

    Messages in a retry chain (tried, no lease) are left to their chain."""
    from ..tasks import deliver_slack_message

    now = timezone.now()
    stale = SlackMessage.objects.filter(state=SlackMessage.State.PENDING).filter(
        Q(attempts=0, sending_since__isnull=True, created_at__lt=now - never_tried_for)
        | Q(sending_since__lt=now - _lease())
    )
    if kinds:
        stale = stale.filter(kind__in=kinds)
    if not_older_than is not None:
        stale = stale.filter(created_at__gte=now - not_older_than)
    message_ids = list(stale.order_by("pk").values_list("pk", flat=True))
    for message_id in message_ids:
        deliver_slack_message.delay(message_id)
    return message_ids
