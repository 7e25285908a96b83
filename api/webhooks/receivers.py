"""The domain apps' signals become outbox rows, one per subscribed webhook."""

from django.db.models import Q
from django.dispatch import receiver

from actions import events as action_events
from actions.models import ActionItem
from postmortems import events as postmortem_events
from postmortems.models import Postmortem

from .. import services
from ..models import Webhook
from .events import action_item_data, postmortem_data, webhooks_for

Event = Webhook.Event


def _enqueue(event, team_ids, postmortem, data, hooks=None):
    for hook in webhooks_for(event, team_ids, postmortem, hooks=hooks):
        services.webhook_delivery_enqueue(
            webhook=hook, event=event, data=data, postmortem_id=postmortem.pk
        )


@receiver(postmortem_events.postmortem_created, dispatch_uid="api.webhooks.postmortem_created")
def postmortem_created(sender, postmortem, **kwargs):
    _enqueue(
        Event.POSTMORTEM_CREATED, [postmortem.team_id], postmortem, postmortem_data(postmortem)
    )


@receiver(
    postmortem_events.postmortem_status_changed,
    dispatch_uid="api.webhooks.postmortem_status_changed",
)
def postmortem_status_changed(sender, postmortem, old_status, **kwargs):
    data = postmortem_data(postmortem, old_status=old_status)
    _enqueue(Event.POSTMORTEM_STATUS_CHANGED, [postmortem.team_id], postmortem, data)
    if postmortem.status == Postmortem.Status.PUBLISHED:
        _enqueue(
            Event.POSTMORTEM_PUBLISHED,
            [postmortem.team_id],
            postmortem,
            postmortem_data(postmortem),
        )


def _item_teams(item):
    return [item.team_id, item.postmortem.team_id]


@receiver(action_events.action_item_created, dispatch_uid="api.webhooks.action_item_created")
def action_item_created(sender, item, **kwargs):
    _enqueue(Event.ACTION_ITEM_CREATED, _item_teams(item), item.postmortem, action_item_data(item))


@receiver(
    action_events.action_item_status_changed,
    dispatch_uid="api.webhooks.action_item_status_changed",
)
def action_item_status_changed(sender, item, old_status, **kwargs):
    data = action_item_data(item, old_status=old_status)
    _enqueue(Event.ACTION_ITEM_STATUS_CHANGED, _item_teams(item), item.postmortem, data)


@receiver(action_events.action_items_overdue, dispatch_uid="api.webhooks.action_items_overdue")
def action_items_overdue(sender, item_ids_by_team, for_date, **kwargs):
    # Once per sweep for every team, mostly without webhooks: one query then.
    item_ids = [pk for ids in item_ids_by_team.values() for pk in ids]
    postmortem_teams = ActionItem.objects.filter(pk__in=item_ids).values("postmortem__team_id")
    hooks = list(
        Webhook.objects.filter(disabled_reason="").filter(
            Q(team__in=list(item_ids_by_team)) | Q(team__in=postmortem_teams)
        )
    )
    if not any(Event.ACTION_ITEM_OVERDUE in hook.events for hook in hooks):
        return
    items = ActionItem.objects.filter(pk__in=item_ids).select_related(
        "postmortem__team", "team", "assignee"
    )
    for item in items:
        data = action_item_data(item, overdue_on=for_date.isoformat())
        _enqueue(Event.ACTION_ITEM_OVERDUE, _item_teams(item), item.postmortem, data, hooks)
