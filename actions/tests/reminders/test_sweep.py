import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from actions import reminders
from actions.models import ReminderLog
from postmortems.models import SlackMessage
from tests.factories import PostmortemFactory, TeamFactory

from .support import (
    Kind,
    day,
    deliver,
    linked_item_ids,
    make_item,
    person,
    reminder_days,
    sweep_on,
)

# --- Failures are retried the next day -------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_overdue_reminder_is_claimed_again_the_next_day_only(
    team, assignee, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    slack_receiver.answer(400, "invalid_blocks")
    deliver(django_capture_on_commit_callbacks, 1)
    first = ReminderLog.objects.get(item=item, kind=Kind.OVERDUE)
    assert first.state == ReminderLog.State.FAILED
    assert first.last_error == "invalid_blocks"
    # Later the same day: the claim for today is taken (failed), nothing is sent again.
    deliver(django_capture_on_commit_callbacks, 1)
    assert len(slack_receiver.requests) == 1
    deliver(django_capture_on_commit_callbacks, 2)
    deliver(django_capture_on_commit_callbacks, 3)
    assert reminder_days(item, Kind.OVERDUE) == [1, 2]
    assert ReminderLog.objects.get(item=item, for_date=day(2).date()).state == "sent"
    assert len(slack_receiver.requests) == 2


@pytest.mark.django_db
def test_failed_reminders_are_retried_day_after_day_until_one_gets_through(
    team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    celery_eager.conf.task_eager_propagates = False  # let the retries run inline
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-1), tick=False):  # unassigned from day 1 on
        item = make_item(team)
    slack_receiver.answer(503, "", times=5)  # day 1: five tries, all 503
    slack_receiver.answer(400, "invalid_blocks")  # day 2
    for offset in range(1, 10):
        deliver(django_capture_on_commit_callbacks, offset)
    assert reminder_days(item, Kind.OVERDUE) == [1, 2, 3, 8]
    assert reminder_days(item, Kind.UNASSIGNED) == [1, 2, 3, 8]
    states = dict(ReminderLog.objects.filter(kind=Kind.OVERDUE).values_list("for_date", "state"))
    assert [states[day(n).date()] for n in (1, 2, 3, 8)] == ["failed", "failed", "sent", "sent"]


@pytest.mark.django_db
def test_a_failed_due_soon_reminder_is_retried_until_the_due_date(
    team, assignee, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    slack_receiver.answer(400, "invalid_blocks", times=3)
    for offset in (-3, -2, -1):
        deliver(django_capture_on_commit_callbacks, offset)
    assert reminder_days(item, Kind.DUE_SOON) == [-3, -2, -1]
    assert set(ReminderLog.objects.values_list("state", flat=True)) == {"failed"}
    deliver(django_capture_on_commit_callbacks, 0)
    # The window is over: due today takes over, due soon is not tried again.
    assert reminder_days(item, Kind.DUE_SOON) == [-3, -2, -1]
    assert reminder_days(item, Kind.DUE_TODAY) == [0]


@pytest.mark.django_db
def test_a_message_whose_delivery_was_lost_is_queued_again_an_hour_later(
    team, assignee, slack_receiver, celery_eager
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    # The test's transaction never commits, so the delivery is never queued: as if the
    # broker had been down when the sweep ran.
    sweep_on(1)
    message = SlackMessage.objects.get()
    with time_machine.travel(day(1, hour=10), tick=False):  # 59 minutes later: still fine
        assert reminders.sweep().messages_requeued == 0
    assert slack_receiver.requests == []
    with time_machine.travel(day(1, hour=11), tick=False):
        report = reminders.sweep()
    assert report.messages_requeued == 1
    assert report.messages_queued == 0
    message.refresh_from_db()
    assert message.state == SlackMessage.State.SENT
    assert item.reminders.get().state == ReminderLog.State.SENT
    assert len(slack_receiver.requests) == 1


@pytest.mark.django_db
def test_a_message_lost_for_more_than_a_day_is_left_alone(team, assignee, celery_eager):
    with time_machine.travel(day(-10), tick=False):
        make_item(team, assignee=assignee)
    sweep_on(1)
    report = sweep_on(3)
    assert report.messages_requeued == 0
    assert SlackMessage.objects.get().state == SlackMessage.State.PENDING


# --- Exactly once ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_sweep_sends_nothing_twice(
    team, assignee, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        for _ in range(3):
            make_item(team, assignee=assignee)
    first = deliver(django_capture_on_commit_callbacks, 1)
    second = deliver(django_capture_on_commit_callbacks, 1)
    assert first.kinds[Kind.OVERDUE].claimed == 3
    assert SlackMessage.objects.get().state == SlackMessage.State.SENT
    assert second.reminders_claimed == 0
    assert second.kinds[Kind.OVERDUE].already_reminded == 3
    assert second.messages_queued == 0
    assert len(slack_receiver.requests) == 1
    assert SlackMessage.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory shared-cache test database answers 'table is locked' at once "
    "instead of waiting for the other writer; the race runs on PostgreSQL (CI=true).",
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_deliver_each_reminder_once(
    team, other_team, slack_receiver, celery_eager
):
    team.slack_webhook_url = slack_receiver.url("/services/T1/B1/payments")
    team.save()
    other_team.slack_webhook_url = slack_receiver.url("/services/T1/B2/search")
    other_team.save()
    people = [person(f"c{n}", f"C{n}", "Jung") for n in range(4)]
    with time_machine.travel(day(-10), tick=False):
        items = [
            make_item(t, assignee=people[n % 4]) for t in (team, other_team) for n in range(15)
        ]
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            reports.append(reminders.sweep(day(1).date()))
        except Exception as exc:  # noqa: BLE001 -- surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    delivered = [i for r in slack_receiver.requests for i in linked_item_ids(r["json"])]
    assert sorted(delivered) == sorted(i.pk for i in items)
    assert len(slack_receiver.requests) == 2
    assert sum(r.reminders_claimed for r in reports) == 30
    assert sum(r.reminders_already_reminded for r in reports) == 30
    assert ReminderLog.objects.filter(state=ReminderLog.State.SENT).count() == 30
    assert SlackMessage.objects.count() == 2


# --- Outcomes follow the message ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_without_a_webhook_reminders_are_recorded_as_not_sent(team, assignee, celery_eager):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    report = sweep_on(1)
    assert report.messages_queued == 1
    assert report.messages_skipped == 1
    assert report.kinds[Kind.OVERDUE].skipped_no_webhook == 1
    row = item.reminders.get()
    assert row.state == ReminderLog.State.SKIPPED_NO_WEBHOOK
    assert row.message.state == SlackMessage.State.SKIPPED_NO_WEBHOOK
    # Recorded, not lost, and not re-recorded every day of the week.
    sweep_on(2)
    assert item.reminders.count() == 1


@pytest.mark.django_db(transaction=True)
def test_report_counts_sent_messages_per_kind(team, assignee, slack_receiver, celery_eager):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        make_item(team, assignee=assignee)
        make_item(team, assignee=assignee, due=day(3).date())
        make_item(team, assignee=assignee, due=day(1).date())
        make_item(team, assignee=assignee, due=day(90).date())
    report = sweep_on(1)
    assert report.items_considered == 3
    assert report.messages_queued == report.messages_sent == 1
    assert report.kinds[Kind.OVERDUE].sent == 1
    assert report.kinds[Kind.DUE_TODAY].sent == 1
    assert report.kinds[Kind.DUE_SOON].sent == 1
    assert report.kinds[Kind.UNASSIGNED].claimed == 0
    assert ReminderLog.objects.filter(state="sent", attempts=1).count() == 3


# --- Bounded queries ---------------------------------------------------------------------------


def _count_sweep_queries(offset):
    """Queries of one sweep, not counting the claim INSERTs (batched, so they grow with the
    number of reminders by one per batch)."""
    with CaptureQueriesContext(connection) as ctx:
        sweep_on(offset)
    claims = [
        q
        for q in ctx.captured_queries
        if q["sql"].startswith("INSERT") and '"actions_reminderlog"' in q["sql"]
    ]
    rows = ReminderLog.objects.filter(for_date=day(offset).date()).count()
    # Batches of at most CLAIM_BATCH_SIZE (SQLite: ~111 rows, its bound-parameter limit).
    assert len(claims) <= rows // 100 + 2
    return len(ctx.captured_queries) - len(claims)


@pytest.mark.django_db
def test_sweep_queries_do_not_grow_with_the_number_of_items(team, other_team):
    people = [person(f"s{n}", f"S{n}", "Oh", slack_id=f"U{n:06d}") for n in range(10)]
    with time_machine.travel(day(-10), tick=False):
        pm1, pm2 = PostmortemFactory(team=team), PostmortemFactory(team=other_team)
        for n in range(3):
            make_item(team, postmortem=pm1, assignee=people[n])
            make_item(other_team, postmortem=pm2)
    few = _count_sweep_queries(1)
    with time_machine.travel(day(-10), tick=False):
        for n in range(120):
            make_item(team, postmortem=pm1, assignee=people[n % 10])
            make_item(other_team, postmortem=pm2)
    many = _count_sweep_queries(8)
    assert many == few
    assert ReminderLog.objects.filter(for_date=day(8).date()).count() == 246


def _teams(n, prefix):
    return [TeamFactory(name=f"{prefix} {i}", slug=f"{prefix}-{i}") for i in range(n)]


def _sweep_queries(offset):
    with CaptureQueriesContext(connection) as ctx, time_machine.travel(day(offset), tick=False):
        report = reminders.sweep()
    return len(ctx.captured_queries), report


@pytest.mark.django_db
def test_sweep_queries_do_not_grow_with_teams_without_overdue_items():
    with time_machine.travel(day(-2), tick=False):
        for team in _teams(2, "first"):
            for _ in range(5):
                make_item(team, due=day(0).date())
    few, report = _sweep_queries(0)
    assert report.messages_queued == 2
    with time_machine.travel(day(5), tick=False):
        for team in _teams(8, "more"):
            for _ in range(5):
                make_item(team, due=day(7).date())
    many, report = _sweep_queries(7)
    # The first two teams' items are unassigned for nine days: reminded again.
    assert report.messages_queued == 10
    assert report.reminders_claimed == 8 * 5 * 2 + 2 * 5
    assert many == few


@pytest.mark.django_db
def test_sweep_queries_do_not_grow_with_teams_with_overdue_items():
    with time_machine.travel(day(-10), tick=False):
        for team in _teams(2, "first"):
            for _ in range(5):
                make_item(team)
    two, report = _sweep_queries(1)
    assert report.kinds[Kind.OVERDUE].claimed == 10
    with time_machine.travel(day(-3), tick=False):
        for team in _teams(6, "more"):
            for _ in range(5):
                make_item(team, due=day(7).date())
    eight, report = _sweep_queries(8)
    assert report.messages_queued == 8
    assert report.kinds[Kind.OVERDUE].claimed == 40
    assert eight == two


@pytest.mark.django_db
def test_sweep_query_count_for_two_teams(team, other_team, django_assert_max_num_queries):
    with time_machine.travel(day(-1), tick=False):  # unassigned for two days on day 1
        for _ in range(50):
            make_item(team, assignee=None)
            make_item(other_team, assignee=None)
    # Stale messages, the count, the due sets (four), the teams, the messages, the claims
    # (two batches on SQLite) and their lines, the payloads, the outgoing webhooks that
    # hear about overdue items, the outcomes (two); and the savepoint around the
    # transaction (the test runs in one).
    with django_assert_max_num_queries(17), time_machine.travel(day(1), tick=False):
        report = reminders.sweep()
    assert report.reminders_claimed == 200
