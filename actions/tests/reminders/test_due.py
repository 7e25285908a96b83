"""The database's due sets give the answers ``kinds_due`` gives for each item, history and
time zone included."""

import datetime
import itertools

import pytest
import time_machine
from django.utils import timezone

from actions.models import ActionItem, ReminderLog
from actions.reminders import kinds_due
from actions.reminders.due import due_reminders
from tests.factories import PostmortemFactory

from .support import DUE, Kind, day, make_item

State = ReminderLog.State

# Days around DUE: every branch of the schedule (due soon, today, overdue weekly, the days
# between) and creation ages below, at and past the unassigned threshold.
DUE_OFFSETS = [-9, -8, -7, -2, -1, 0, 1, 2, 3, 4, 5]
CREATED_OFFSETS = [-16, -9, -3, -2, -1, 0]
HISTORIES = [
    {},
    {Kind.OVERDUE: [(-1, State.FAILED)]},
    {Kind.OVERDUE: [(-1, State.SENT)]},
    {Kind.UNASSIGNED: [(-1, State.FAILED)]},
    {Kind.UNASSIGNED: [(-2, State.FAILED)]},
    {Kind.DUE_SOON: [(-1, State.SENT)]},
    {Kind.DUE_SOON: [(-1, State.FAILED)]},
    {Kind.DUE_SOON: [(-4, State.SKIPPED_NO_WEBHOOK)]},
    {Kind.DUE_TODAY: [(0, State.SENT)]},
]


def _expected(items, today, soon_days):
    zone = timezone.get_current_timezone()
    expected = set()
    for item, history in items:
        dated = {
            kind: [(today + datetime.timedelta(days=d), st) for d, st in rows]
            for kind, rows in history.items()
        }
        for kind in kinds_due(
            today=today,
            due_date=item.due_date,
            created_on=timezone.localtime(item.created_at, zone).date(),
            has_assignee=item.assignee_id is not None,
            history={k: [r for r in v if r[0] < today] for k, v in dated.items()},
            soon_days=soon_days,
        ):
            claimed = any(d == today for d, _st in dated.get(kind, ()))
            expected.add((item.pk, item.team_id, kind, claimed))
    return expected


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul", "America/Los_Angeles"])
def test_the_due_sets_agree_with_the_schedule_for_every_case(team, assignee, settings, zone):
    settings.TIME_ZONE = zone
    soon_days = settings.REMINDER_DUE_SOON_DAYS
    today = DUE
    postmortem = PostmortemFactory(team=team)
    items = []
    cases = itertools.product(DUE_OFFSETS, CREATED_OFFSETS, (None, assignee))
    # Histories taken in turn: 9 of them over 132 cases meet every kind of day.
    for (due_offset, created_offset, who), history in zip(
        cases, itertools.cycle(HISTORIES), strict=False
    ):
        # 23:30 UTC is the next day east of UTC and still the same day west of it.
        with time_machine.travel(day(created_offset, hour=23), tick=False):
            item = make_item(
                team,
                postmortem=postmortem,
                due=today + datetime.timedelta(days=due_offset),
                assignee=who,
            )
        ReminderLog.objects.bulk_create(
            ReminderLog(item=item, kind=kind, for_date=today + datetime.timedelta(days=d), state=st)
            for kind, rows in history.items()
            for d, st in rows
        )
        items.append((item, history))
    make_item(team, postmortem=postmortem, due=today, status=ActionItem.Status.DONE)

    with time_machine.travel(day(0), tick=False):
        got = {tuple(row) for row in due_reminders(today, soon_days)}

    expected = _expected(items, today, soon_days)
    assert got == expected
    # The grid reaches every kind, claimed or not.
    assert {kind for _i, _t, kind, _c in expected} == set(Kind.values)
    assert {claimed for *_rest, claimed in expected} == {True, False}


@pytest.mark.django_db
def test_the_due_rows_come_in_item_then_kind_order(team):
    with time_machine.travel(day(-1), tick=False):  # unassigned for two days on day 1
        items = [make_item(team) for _ in range(3)]
    rows = due_reminders(day(1).date(), 3)
    assert [(r.item_id, r.kind) for r in rows] == [
        (item.pk, kind) for item in items for kind in sorted([Kind.OVERDUE, Kind.UNASSIGNED])
    ]
