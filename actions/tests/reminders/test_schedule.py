import datetime

import pytest
import time_machine

from actions import reminders
from actions.models import ActionItem, ReminderLog
from postmortems.models import SlackMessage

from .support import (
    DUE,
    Kind,
    day,
    linked_item_ids,
    make_item,
    reminder_days,
    section_texts,
    sweep_on,
)

# --- The schedule, day by day --------------------------------------------------------------


@pytest.mark.django_db
def test_due_soon_is_sent_once_on_the_first_day_inside_the_window(team, assignee, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for offset in range(-6, 0):
        sweep_on(offset)
    assert reminder_days(item, Kind.DUE_SOON) == [-3]


@pytest.mark.django_db
def test_due_soon_window_follows_the_setting(team, assignee, settings):
    settings.REMINDER_DUE_SOON_DAYS = 5
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for offset in range(-7, 0):
        sweep_on(offset)
    assert reminder_days(item, Kind.DUE_SOON) == [-5]


@pytest.mark.django_db
def test_item_created_inside_the_window_is_reminded_the_same_day(team, assignee):
    with time_machine.travel(day(-2), tick=False):
        item = make_item(team, assignee=assignee)
    sweep_on(-2)
    sweep_on(-1)
    assert reminder_days(item, Kind.DUE_SOON) == [-2]


@pytest.mark.django_db
def test_due_today_is_sent_on_the_due_date_only(team, assignee):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for offset in range(-1, 2):
        sweep_on(offset)
    assert reminder_days(item, Kind.DUE_TODAY) == [0]
    assert reminder_days(item, Kind.DUE_SOON) == [-1]


@pytest.mark.django_db
def test_overdue_is_sent_on_the_first_day_then_once_a_week(team, assignee):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for offset in range(0, 23):
        sweep_on(offset)
    # days overdue 1, 8, 15, 22: days_overdue % 7 == 1
    assert reminder_days(item, Kind.OVERDUE) == [1, 8, 15, 22]


@pytest.mark.django_db
def test_hourly_sweeps_on_the_same_day_remind_once(team, assignee):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for hour in range(0, 24, 3):
        with time_machine.travel(day(1, hour=hour), tick=False):
            reminders.sweep()
    assert reminder_days(item, Kind.OVERDUE) == [1]
    assert SlackMessage.objects.count() == 1


@pytest.mark.django_db
def test_an_item_found_overdue_mid_week_waits_for_its_weekly_day(team, assignee):
    with time_machine.travel(day(-20), tick=False):
        item = make_item(team, assignee=assignee)
    # First sweep ever on day 4 overdue (reminders just turned on): no flood of old items.
    for offset in range(4, 9):
        sweep_on(offset)
    assert reminder_days(item, Kind.OVERDUE) == [8]


@pytest.mark.django_db
def test_unassigned_is_sent_two_days_after_creation_then_weekly(team):
    with time_machine.travel(day(-30), tick=False):
        item = make_item(team, due=DUE + datetime.timedelta(days=60))
    for offset in range(-30, -15):
        sweep_on(offset)
    # Created on day -30: reminded at ages 2 and 9.
    assert reminder_days(item, Kind.UNASSIGNED) == [-28, -21]


@pytest.mark.django_db
def test_unassigned_age_counts_days_in_the_configured_time_zone(team, settings):
    settings.TIME_ZONE = "Asia/Seoul"
    # 23:30 UTC on day -3 is already day -2 in Seoul.
    with time_machine.travel(day(-3, hour=23), tick=False):
        item = make_item(team, due=DUE + datetime.timedelta(days=60))
    with time_machine.travel(day(-1, hour=14), tick=False):  # day -1, 23:05 in Seoul
        reminders.sweep()
    assert reminder_days(item, Kind.UNASSIGNED) == []
    with time_machine.travel(day(-1, hour=15), tick=False):  # day 0, 00:05 in Seoul
        reminders.sweep()
    assert reminder_days(item, Kind.UNASSIGNED) == [0]


@pytest.mark.django_db
def test_an_assigned_item_is_not_reminded_as_unassigned(team, assignee):
    with time_machine.travel(day(-30), tick=False):
        item = make_item(team, assignee=assignee, due=DUE + datetime.timedelta(days=60))
    sweep_on(-25)
    assert not ReminderLog.objects.filter(item=item).exists()


@pytest.mark.django_db
def test_an_overdue_unassigned_item_gets_both_kinds_in_one_line(team):
    with time_machine.travel(day(-1), tick=False):
        item = make_item(team)
    sweep_on(1)
    assert sorted(ReminderLog.objects.filter(item=item).values_list("kind", flat=True)) == [
        Kind.OVERDUE,
        Kind.UNASSIGNED,
    ]
    payload = SlackMessage.objects.get().payload
    assert linked_item_ids(payload) == [item.pk]
    assert "1 day overdue" in "\n".join(section_texts(payload))
    assert "nobody assigned" in "\n".join(section_texts(payload))


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ActionItem.Status.DONE, ActionItem.Status.WONT_DO])
def test_closed_items_are_never_reminded(team, status):
    with time_machine.travel(day(-10), tick=False):
        make_item(team, status=status)
        make_item(team, status=status, due=DUE + datetime.timedelta(days=2))
    for offset in (-2, 0, 1, 8):
        report = sweep_on(offset)
        assert report.items_considered == 0
    assert not ReminderLog.objects.exists()
    assert not SlackMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ActionItem.Status.IN_PROGRESS, ActionItem.Status.BLOCKED])
def test_in_progress_and_blocked_items_are_still_reminded(team, assignee, status):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee, status=status)
    sweep_on(1)
    assert reminder_days(item, Kind.OVERDUE) == [1]


@pytest.mark.parametrize(
    ("days_overdue", "due"),
    [(1, True), (2, False), (7, False), (8, True), (14, False), (15, True), (22, True)],
)
def test_overdue_is_due_when_days_overdue_mod_seven_is_one(days_overdue, due):
    today = DUE + datetime.timedelta(days=days_overdue)
    kinds = reminders.kinds_due(
        today=today, due_date=DUE, created_on=DUE, has_assignee=True, soon_days=3
    )
    assert kinds == ([Kind.OVERDUE] if due else [])


@pytest.mark.parametrize(
    ("yesterday_state", "due"),
    [("failed", True), ("sent", False), ("claimed", False), ("skipped_no_webhook", False)],
)
def test_overdue_is_retried_the_day_after_a_failure_only(yesterday_state, due):
    today = DUE + datetime.timedelta(days=3)
    history = {Kind.OVERDUE: [(today - datetime.timedelta(days=1), yesterday_state)]}
    kinds = reminders.kinds_due(
        today=today, due_date=DUE, created_on=DUE, has_assignee=True, history=history
    )
    assert kinds == ([Kind.OVERDUE] if due else [])
