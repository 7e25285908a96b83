"""Reminder rows follow the Slack message that carries them."""

from django.dispatch import receiver
from django.utils import timezone

from postmortems.models import SlackMessage
from postmortems.services import slack_message_finished

from .models import ReminderLog

_STATE_FOR_MESSAGE = {
    SlackMessage.State.SENT: ReminderLog.State.SENT,
    SlackMessage.State.FAILED: ReminderLog.State.FAILED,
    SlackMessage.State.SKIPPED_NO_WEBHOOK: ReminderLog.State.SKIPPED_NO_WEBHOOK,
}


@receiver(slack_message_finished, dispatch_uid="actions.reminders_follow_message")
def reminders_follow_message(sender, message, **kwargs):
    """Copy a finished message's outcome onto its reminders, in the sender's transaction.

    A failed reminder is left failed: the next day's sweep claims a new row for it (see
    ``actions.reminders``)."""
    state = _STATE_FOR_MESSAGE.get(message.state)
    if state is None or message.kind != SlackMessage.Kind.REMINDERS:
        return
    ReminderLog.objects.filter(message_id=message.pk).update(
        state=state,
        attempts=message.attempts,
        last_error="" if state == ReminderLog.State.SENT else message.last_error[:500],
        updated_at=timezone.now(),
    )
