"""Follow-up reminders: which open action items to remind about today, and one Slack
message per team that lists them.

Schedule (``today`` is the local date in ``settings.TIME_ZONE``; only open, in-progress and
blocked items are reminded — done and won't-do never):

``due_today``
    The item is due today. Once, on that day.
``due_soon``
    Due in 1 to ``REMINDER_DUE_SOON_DAYS`` (default 3) days. Once per due date: on the first
    sweep day inside that window (so an item created two days before its due date is
    reminded the day it is created).
``overdue``
    On the first day overdue, then once a week while still open: days overdue 1, 8, 15, …
    (``days_overdue % 7 == 1``). An item that is already several days overdue when first
    seen (a back-dated due date) waits for its next weekly day, so turning reminders on
    does not remind of every old item at once.
``unassigned``
    Open with no assignee two days after creation, then once a week while still
    unassigned: days since creation 2, 9, 16, … (``(age - 2) % 7 == 0``).

Failed reminders are retried the next day: a reminder that *failed* (Slack refused it, the
webhook is gone or disabled, five tries without an answer) does not count, and the next
day's sweep claims a new (item, kind, next day) row —
``overdue`` and ``unassigned`` when yesterday's reminder of that kind failed (day after
day, until one gets through or the next weekly day comes), ``due_soon`` on any later day
of its window while no reminder in the window got through. ``due_today`` is not retried: the
next day is ``overdue`` day 1. Reminders recorded without a webhook (``skipped_no_webhook``)
count as done: the item page lists them; they are not re-recorded daily.

Exactly once: each reminder is a ``ReminderLog(item, kind, for_date)`` row, unique in the
database. Inside one transaction the sweep creates one ``SlackMessage`` (the outbox row) per
team with something due, inserts every team's claims in one statement with ``ON CONFLICT DO
NOTHING``, each marked with its team's message, and re-selects the rows carrying its
messages: only those are listed. A second sweep, or one running at the same time in another
worker, finds the rows taken (on PostgreSQL it waits for the first transaction, then skips
them) and sends nothing for them. The messages are delivered by
``postmortems.tasks.deliver_slack_message`` after commit, and ``actions.signals`` copies each
message's final state onto its reminder rows. A reminder message still pending an hour later
lost its delivery task (the broker was down when it was queued): the next sweep queues it
again, for up to a day. A team whose message cannot be built (an error is logged) keeps no
claims and does not stop the other teams; the next hourly sweep tries it again.

Cost: the due sets are computed by the database, one query per kind (``due``); the rest is
a fixed number of bulk statements whatever the number of items and teams.

Modules: ``schedule`` (which kinds an item is due for), ``due`` (the same rules as
queries), ``claims`` (the exactly-once rows), ``sweep`` (the hourly run), ``message``
(the Slack message), ``report``.
"""

from .message import MAX_LISTED_ITEMS, build_payload
from .report import KindCounts, SweepReport
from .schedule import candidate_items, kinds_due
from .sweep import sweep

__all__ = [
    "MAX_LISTED_ITEMS",
    "KindCounts",
    "SweepReport",
    "build_payload",
    "candidate_items",
    "kinds_due",
    "sweep",
]
