"""Reminder rows follow the Slack message that carries them; writes to action items and
postmortems make the dashboard's cached figures stale and rewrite the stored metrics
figures of the days they touch."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from postmortems.models import Membership, Postmortem, SlackMessage
from postmortems.services import slack_message_finished

from .models import ActionItem, ReminderLog
from .selectors import dashboard_cache_invalidate
from .services.metrics_figures import incident_day_of, metrics_days_refresh

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


# --- Stored metrics figures ------------------------------------------------------------------

# What a postmortem's stored figures are made of; a save that changes none of it (text,
# status, people) rewrites nothing.
_POSTMORTEM_FIGURE_FIELDS = (
    "team_id",
    "severity",
    "restricted",
    "caused_by_change",
    "started_at",
    "detected_at",
    "resolved_at",
    "published_at",
    "created_at",
)
_ITEM_FIGURE_FIELDS = ("team_id", "due_date", "status", "completed_at", "postmortem_id")


def _stored_state(instance, fields):
    """The row as the database has it (not as the instance holds it: a value assigned as
    a string or an expression, or changed in memory since loading, would mislead)."""
    if instance.pk is None:
        return None
    return type(instance).objects.filter(pk=instance.pk).values(*fields).first()


def _incident_key(state):
    return (state["team_id"], incident_day_of(state["started_at"] or state["created_at"]))


@receiver(pre_save, sender=Postmortem, dispatch_uid="actions.metrics_postmortem_before")
@receiver(pre_delete, sender=Postmortem, dispatch_uid="actions.metrics_postmortem_before_delete")
def metrics_postmortem_before(sender, instance, **kwargs):
    instance._metrics_before = _stored_state(instance, _POSTMORTEM_FIGURE_FIELDS)


@receiver(post_save, sender=Postmortem, dispatch_uid="actions.metrics_postmortem_saved")
def metrics_postmortem_saved(sender, instance, **kwargs):
    before = getattr(instance, "_metrics_before", None)
    after = _stored_state(instance, _POSTMORTEM_FIGURE_FIELDS)
    if before == after:
        return
    states = [state for state in (before, after) if state is not None]
    action_days = set()
    if (
        before is not None
        and after is not None
        and (before["severity"] != after["severity"] or before["restricted"] != after["restricted"])
    ):
        # The items' rows are per severity, and hold only unrestricted postmortems' items.
        action_days = set(
            ActionItem.objects.filter(postmortem=instance)
            .order_by()
            .values_list("team_id", "due_date")
            .distinct()
        )
    metrics_days_refresh(
        incident_days={_incident_key(state) for state in states}, action_days=action_days
    )


@receiver(post_delete, sender=Postmortem, dispatch_uid="actions.metrics_postmortem_deleted")
def metrics_postmortem_deleted(sender, instance, **kwargs):
    before = getattr(instance, "_metrics_before", None)
    if before is not None:
        metrics_days_refresh(incident_days={_incident_key(before)})


@receiver(pre_save, sender=ActionItem, dispatch_uid="actions.metrics_item_before")
@receiver(pre_delete, sender=ActionItem, dispatch_uid="actions.metrics_item_before_delete")
def metrics_item_before(sender, instance, **kwargs):
    instance._metrics_before = _stored_state(instance, _ITEM_FIGURE_FIELDS)


@receiver(post_save, sender=ActionItem, dispatch_uid="actions.metrics_item_saved")
def metrics_item_saved(sender, instance, **kwargs):
    before = getattr(instance, "_metrics_before", None)
    after = _stored_state(instance, _ITEM_FIGURE_FIELDS)
    if before == after:
        return
    states = [state for state in (before, after) if state is not None]
    metrics_days_refresh(action_days={(state["team_id"], state["due_date"]) for state in states})


@receiver(post_delete, sender=ActionItem, dispatch_uid="actions.metrics_item_deleted")
def metrics_item_deleted(sender, instance, **kwargs):
    before = getattr(instance, "_metrics_before", None)
    if before is not None:
        metrics_days_refresh(action_days={(before["team_id"], before["due_date"])})
