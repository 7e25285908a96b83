"""The claims that make reminders exactly-once: one ``ReminderLog(item, kind, for_date)``
row per reminder, unique in the database, inserted with ``ON CONFLICT DO NOTHING`` and
marked with the message that will carry it, so the sweep finds out which ones it won."""

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from ..models import ReminderLog

Kind = ReminderLog.Kind
State = ReminderLog.State

CLAIM_BATCH_SIZE = 500


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


def insert_claims(rows, today):
    """Insert the claims ``[(item_id, kind, message_id)]`` of every team at once, skipping
    those another sweep already holds (ON CONFLICT DO NOTHING), in ``rows``' order (item,
    kind: the same in every sweep, so two at the same time never deadlock)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        # One statement from three arrays: bulk_create spends most of its time building
        # model instances and SQL for tens of thousands of rows.
        now = timezone.now()
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(ReminderLog._meta.db_table)} "  # noqa: S608 -- names only
                "(item_id, kind, for_date, state, message_id, attempts, last_error, "
                "created_at, updated_at) "
                "SELECT t.item_id, t.kind, %s, %s, t.message_id, 0, '', %s, %s "
                "FROM unnest(%s::bigint[], %s::varchar[], %s::bigint[]) "
                "WITH ORDINALITY AS t(item_id, kind, message_id, n) "
                "ORDER BY t.n ON CONFLICT DO NOTHING",
                [
                    today,
                    State.CLAIMED,
                    now,
                    now,
                    [item_id for item_id, _kind, _message_id in rows],
                    [str(kind) for _item_id, kind, _message_id in rows],
                    [message_id for _item_id, _kind, message_id in rows],
                ],
            )
        return
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(item_id=item_id, kind=kind, for_date=today, message_id=message_id)
            for item_id, kind, message_id in rows
        ],
        batch_size=CLAIM_BATCH_SIZE,
        ignore_conflicts=True,
    )


def won_claims(message_ids):
    """``{message_id: [Claimed, …]}``: the claims this sweep's messages carry, i.e. the ones
    its insert won, in (item, kind) order. One query for every team."""
    won = defaultdict(list)
    rows = (
        ReminderLog.objects.filter(message_id__in=message_ids)
        .order_by("message_id", "item_id", "kind")
        .values_list("message_id", *CLAIMED_FIELDS)
    )
    for message_id, *fields in rows:
        won[message_id].append(Claimed(*fields))
    return won
