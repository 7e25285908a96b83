"""Signals other apps may listen to (the api app's outgoing webhooks do). Sent by the
services inside the transaction of the change: a receiver that writes an outbox row
commits or rolls back with it.

- ``postmortem_created(postmortem, by)``
- ``postmortem_status_changed(postmortem, old_status, by)`` — ``postmortem.status`` is the new one
"""

from django.dispatch import Signal

postmortem_created = Signal()
postmortem_status_changed = Signal()
