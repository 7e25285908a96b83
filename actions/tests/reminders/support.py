"""What the reminder tests share: a fixed week, items, people and payload readers."""

import datetime
import re
import zoneinfo

import time_machine

from actions import reminders
from actions.models import ActionItem, ReminderLog
from tests.factories import ActionItemFactory, PostmortemFactory, UserFactory

Kind = ReminderLog.Kind
UTC = zoneinfo.ZoneInfo("UTC")
# A Wednesday; items fall due around it.
DUE = datetime.date(2026, 3, 18)


def day(offset, hour=9):
    """``DUE + offset`` days at ``hour`` UTC, for time travel."""
    d = DUE + datetime.timedelta(days=offset)
    return datetime.datetime(d.year, d.month, d.day, hour, 5, tzinfo=UTC)


def make_item(team, *, due=DUE, assignee=None, status=ActionItem.Status.OPEN, **kwargs):
    if "postmortem" not in kwargs:
        kwargs["postmortem"] = PostmortemFactory(team=team)
    return ActionItemFactory(team=team, due_date=due, assignee=assignee, status=status, **kwargs)


def person(username, first, last, slack_id=""):
    user = UserFactory(username=username, first_name=first, last_name=last)
    if slack_id:
        user.profile.slack_member_id = slack_id
        user.profile.save()
    return user


def sweep_on(offset):
    with time_machine.travel(day(offset), tick=False):
        return reminders.sweep()


def deliver(django_capture_on_commit_callbacks, offset):
    """Sweep on ``DUE + offset`` and run what it queues after commit (the deliveries)."""
    with django_capture_on_commit_callbacks(execute=True):
        return sweep_on(offset)


def reminder_days(item, kind):
    rows = ReminderLog.objects.filter(item=item, kind=kind).order_by("for_date")
    return [(r.for_date - DUE).days for r in rows]


def section_texts(payload):
    return [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]


def linked_item_ids(payload):
    return [int(i) for i in re.findall(r"/actions/(\d+)/\|", "\n".join(section_texts(payload)))]
