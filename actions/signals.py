"""Reminder rows follow the Slack message that carries them; writes to action items and
postmortems make the dashboard's cached figures stale."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from postmortems.models import Membership, Postmortem, SlackMessage
from postmortems.services import slack_message_finished

from .models import ActionItem, ReminderLog
from .selectors import dashboard_cache_invalidate

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


@receiver(post_save, sender=ActionItem, dispatch_uid="actions.dashboard_item_saved")
@receiver(post_delete, sender=ActionItem, dispatch_uid="actions.dashboard_item_deleted")
@receiver(post_save, sender=Postmortem, dispatch_uid="actions.dashboard_postmortem_saved")
@receiver(post_delete, sender=Postmortem, dispatch_uid="actions.dashboard_postmortem_deleted")
@receiver(post_save, sender=Membership, dispatch_uid="actions.dashboard_membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="actions.dashboard_membership_deleted")
@receiver(m2m_changed, sender=Postmortem.authors.through, dispatch_uid="actions.dashboard_authors")
@receiver(
    m2m_changed, sender=Postmortem.reviewers.through, dispatch_uid="actions.dashboard_reviewers"
)
@receiver(m2m_changed, sender=Postmortem.viewers.through, dispatch_uid="actions.dashboard_viewers")
def dashboard_figures_stale(sender, **kwargs):
    """Now, and again once the transaction commits: a dashboard computed in between (still
    without the change) must not outlive it."""
    dashboard_cache_invalidate()
    transaction.on_commit(dashboard_cache_invalidate)
