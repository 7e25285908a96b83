"""What a sweep did, for the command's output, the task's result and the logs."""

from dataclasses import dataclass, field
from datetime import date

from ..models import ReminderLog

Kind = ReminderLog.Kind


class KindCounts:
    claimed: int = 0  # reminders this sweep took and put into a message
    already_reminded: int = 0  # due today, but an earlier or concurrent sweep holds the claim
    sent: int = 0
    skipped_no_webhook: int = 0
    failed: int = 0
    pending: int = 0  # still queued for the worker when the sweep ended


@dataclass
class SweepReport:
    today: date
    teams: int = 0  # teams that had anything to remind about
    items_considered: int = 0
    messages_queued: int = 0
    messages_sent: int = 0
    messages_skipped: int = 0  # no webhook configured: recorded, not sent
    messages_failed: int = 0
    messages_pending: int = 0
    messages_requeued: int = 0  # earlier messages whose delivery was queued again
    kinds: dict = field(default_factory=lambda: {k.value: KindCounts() for k in Kind})
    message_ids: list = field(default_factory=list)
    teams_failed: list = field(default_factory=list)  # slugs; see the log for the error

    @property
    def reminders_claimed(self):
        return sum(c.claimed for c in self.kinds.values())

    @property
    def reminders_already_reminded(self):
        return sum(c.already_reminded for c in self.kinds.values())

    def as_dict(self):
        return {
            "today": self.today.isoformat(),
            "teams": self.teams,
            "items_considered": self.items_considered,
            "messages_queued": self.messages_queued,
            "messages_sent": self.messages_sent,
            "messages_skipped": self.messages_skipped,
            "messages_failed": self.messages_failed,
            "messages_pending": self.messages_pending,
            "messages_requeued": self.messages_requeued,
            "kinds": {kind: vars(counts) for kind, counts in self.kinds.items()},
            "teams_failed": self.teams_failed,
        }
