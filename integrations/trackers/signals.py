"""Item changes here -> its ticket. The actions app knows nothing of trackers: its history
rows (django-simple-history) are the event, compared with the row before."""

from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from actions.models import ActionItem
from integrations.models import TrackerLink

from . import services


@receiver(post_create_historical_record, sender=ActionItem.history.model)
def action_item_changed(sender, instance, history_instance, **kwargs):
    # One cheap query for the items that follow no ticket (nearly all of them).
    if not TrackerLink.objects.filter(item_id=instance.pk).exclude(external_id="").exists():
        return
    previous = history_instance.prev_record
    if previous is None:
        return
    closed_now = instance.status in ActionItem.CLOSED_STATUSES
    closed_before = previous.status in ActionItem.CLOSED_STATUSES
    services.local_change(
        item=instance,
        closed=closed_now if closed_now != closed_before else None,
        title=instance.title if instance.title != previous.title else None,
    )
