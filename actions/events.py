"""Signals other apps may listen to (the api app's outgoing webhooks do). Sent inside the
transaction of the change.

- ``action_item_created(item, by)``
- ``action_item_status_changed(item, old_status, by)`` — ``item.status`` is the new one
- ``action_items_overdue(item_ids_by_team, for_date)`` — the reminder sweep claimed "overdue"
  reminders (day 1 overdue, then weekly) for these items, ``{team: [item id, …]}`` by
  owning team; once per sweep for every team, so a receiver can look up in bulk
"""

from django.dispatch import Signal

action_item_created = Signal()
action_item_status_changed = Signal()
action_items_overdue = Signal()
