"""The claims that make reminders exactly-once: one ``ReminderLog(item, kind, for_date)``
row per reminder, unique in the database, inserted with ``ON CONFLICT DO NOTHING``."""

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from ..models import ReminderLog
from .schedule import kinds_due, lookback_days

Kind = ReminderLog.Kind
State = ReminderLog.State

CLAIM_BATCH_SIZE = 500
ITEM_CHUNK_SIZE = 2000


class Claimed(NamedTuple):
    """One reminder this sweep won, with what its message line needs."""

    item_id: int
    kind: str
    title: str
    priority: str
    due_date: date
    assignee_id: int | None
    username: str | None
    first_name: str | None
    last_name: str | None
    slack_member_id: str | None
    restricted: bool
    postmortem_team_id: int

    @property
    def person_name(self):
        full = f"{self.first_name or ''} {self.last_name or ''}".strip()
        return full or self.username or ""


CLAIMED_FIELDS = (
    "item_id",
    "kind",
    "item__title",
    "item__priority",
    "item__due_date",
    "item__assignee_id",
    "item__assignee__username",
    "item__assignee__first_name",
    "item__assignee__last_name",
    "item__assignee__profile__slack_member_id",
    "item__postmortem__restricted",
    "item__postmortem__team_id",
)


def recent_reminders(today, soon_days):
    """``{(item_id, kind): [(for_date, state), …]}`` for the days the schedule looks back on.
    Read once per sweep; a claim taken meanwhile by another sweep is caught by the unique
    constraint, not by this."""
    recent = defaultdict(list)
    rows = ReminderLog.objects.filter(
        for_date__gte=today - timedelta(days=lookback_days(soon_days)), for_date__lte=today
    ).values_list("item_id", "kind", "for_date", "state")
    for item_id, kind, for_date, state in rows.iterator(chunk_size=ITEM_CHUNK_SIZE):
        recent[(item_id, kind)].append((for_date, state))
    return recent


def insert_claims(message, wanted, today):
    """Insert the claims, skipping those another sweep already holds (ON CONFLICT DO
    NOTHING), in ``wanted``'s order."""
    if connection.vendor == "postgresql":
        # One statement per team from two arrays: bulk_create spends most of its time
        # building model instances and SQL for tens of thousands of rows.
        now = timezone.now()
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(ReminderLog._meta.db_table)} "  # noqa: S608 -- names only
                "(item_id, kind, for_date, state, message_id, attempts, last_error, "
                "created_at, updated_at) "
                "SELECT t.item_id, t.kind, %s, %s, %s, 0, '', %s, %s "
                "FROM unnest(%s::bigint[], %s::varchar[]) WITH ORDINALITY AS t(item_id, kind, n) "
                "ORDER BY t.n ON CONFLICT DO NOTHING",
                [
                    today,
                    State.CLAIMED,
                    message.pk,
                    now,
                    now,
                    [item_id for item_id, _kind in wanted],
                    [str(kind) for _item_id, kind in wanted],
                ],
            )
        return
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(item_id=item_id, kind=kind, for_date=today, message=message)
            for item_id, kind in wanted
        ],
        batch_size=CLAIM_BATCH_SIZE,
        ignore_conflicts=True,
    )


def wanted_reminders(items, today, soon_days, recent, report):
    """``[(item_id, kind)]`` the schedule asks for today, in a stable order (item, kind), so
    concurrent sweeps insert their claims in the same order and never deadlock."""
    wanted = []
    current_zone = timezone.get_current_timezone()
    for item_id, due_date, created_at, assignee_id in _in_chunks(items):
        report.items_considered += 1
        created_on = timezone.localtime(created_at, current_zone).date()
        history = {
            kind: recent[(item_id, kind)] for kind in Kind.values if (item_id, kind) in recent
        }
        for kind in kinds_due(
            today=today,
            due_date=due_date,
            created_on=created_on,
            has_assignee=assignee_id is not None,
            history=history,
            soon_days=soon_days,
        ):
            if any(for_date == today for for_date, _state in history.get(kind, ())):
                report.kinds[kind].already_reminded += 1
                continue
            wanted.append((item_id, kind))
    wanted.sort(key=lambda pair: (pair[0], pair[1]))
    return wanted


def _in_chunks(items):
    """``(pk, due_date, created_at, assignee_id)`` of ``items`` in pk order, read in chunks
    by key (a plain query each; most teams fit in one, and a huge team never sits in memory
    at once)."""
    fields = ("pk", "due_date", "created_at", "assignee_id")
    last = 0
    while True:
        chunk = list(
            items.filter(pk__gt=last).order_by("pk").values_list(*fields)[:ITEM_CHUNK_SIZE]
        )
        yield from chunk
        if len(chunk) < ITEM_CHUNK_SIZE:
            return
        last = chunk[-1][0]
