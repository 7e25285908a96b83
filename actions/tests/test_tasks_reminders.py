"""The reminder sweep end to end: a real Celery worker on Redis, a loopback Slack."""

import datetime
import re
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from actions import reminders, selectors
from actions.models import ReminderLog
from actions.tasks import reminder_sweep
from postmortems.models import SlackMessage, Team
from tests.factories import ActionItemFactory, PostmortemFactory, UserFactory
from tests.fixtures import SlackReceiver

pytestmark = pytest.mark.celery

# Two messages delivered at once by the worker's threads cannot both write to SQLite's
# in-memory shared-cache test database (it answers "table is locked" at once instead of
# waiting), so tests with several teams run on PostgreSQL (CI=true, or DATABASE_URL).
several_teams = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="several concurrent deliveries need a real database (PostgreSQL)",
)


def _overdue_item(team, **kwargs):
    # Due yesterday: the first day overdue, whatever the date the test runs on.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return ActionItemFactory(
        team=team, postmortem=PostmortemFactory(team=team), due_date=yesterday, **kwargs
    )


def _wait_until(check, timeout=20, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OperationalError:  # SQLite: the worker is writing; look again
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _wait_for_messages(state, count=1, timeout=20):
    _wait_until(
        lambda: SlackMessage.objects.filter(kind="reminders", state=state).count() >= count,
        timeout=timeout,
        what=f"{count} {state} reminder message(s)",
    )


def _item_ids(request):
    text = "\n".join(b["text"]["text"] for b in request["json"]["blocks"] if b["type"] == "section")
    return sorted(int(i) for i in re.findall(r"/actions/(\d+)/\|", text))


@pytest.fixture
def hooked(team, other_team, slack_receiver):
    """Both teams post to the loopback Slack, each on its own path."""
    for t in (team, other_team):
        Team.objects.filter(pk=t.pk).update(
            slack_webhook_url=slack_receiver.url(f"/services/T1/{t.slug}/secret-{t.slug}")
        )
        t.refresh_from_db()
    return team, other_team


@several_teams
def test_a_sweep_delivers_one_grouped_message_per_team_and_a_second_sweep_none(
    redis_celery_worker, slack_receiver, hooked
):
    team, other_team = hooked
    ann = UserFactory(username="ann", first_name="Ann", last_name="Cho")
    bob = UserFactory(username="bob", first_name="Bob", last_name="Yoon")
    mine = [_overdue_item(team, assignee=ann), _overdue_item(team, assignee=ann)]
    mine.append(_overdue_item(team, assignee=bob))
    theirs = [_overdue_item(other_team, assignee=bob)]

    report = reminders.sweep()

    assert report.messages_queued == 2
    slack_receiver.wait_for(2)
    _wait_for_messages(SlackMessage.State.SENT, count=2)
    by_path = {r["path"]: r for r in slack_receiver.requests}
    assert _item_ids(by_path["/services/T1/payments/secret-payments"]) == [i.pk for i in mine]
    assert _item_ids(by_path["/services/T1/search/secret-search"]) == [i.pk for i in theirs]
    _wait_until(
        lambda: ReminderLog.objects.filter(state=ReminderLog.State.SENT).count() == 4,
        what="reminders marked sent",
    )

    second = reminders.sweep()
    assert second.messages_queued == 0
    assert second.reminders_already_reminded == 4
    time.sleep(1)  # a duplicate would have had time to arrive
    assert len(slack_receiver.requests) == 2


def test_the_beat_task_runs_the_sweep_on_the_worker(redis_celery_worker, slack_receiver, hooked):
    team, _other = hooked
    item = _overdue_item(team)
    reminder_sweep.delay()
    slack_receiver.wait_for(1)
    _wait_for_messages(SlackMessage.State.SENT)
    assert _item_ids(slack_receiver.requests[0]) == [item.pk]


def test_rate_limited_message_waits_for_retry_after_then_is_delivered(
    redis_celery_worker, slack_receiver, hooked
):
    team, _other = hooked
    _overdue_item(team)
    slack_receiver.answer(429, "rate_limited", {"Retry-After": "1"})
    began = time.monotonic()
    reminders.sweep()
    _wait_for_messages(SlackMessage.State.SENT)
    assert time.monotonic() - began >= 1
    message = SlackMessage.objects.get(kind="reminders")
    assert message.attempts == 2
    assert len(slack_receiver.requests) == 2
    assert ReminderLog.objects.get().state == ReminderLog.State.SENT


def test_server_errors_are_tried_five_times_then_the_reminders_fail(
    redis_celery_worker, slack_receiver, hooked, settings
):
    settings.SLACK_RETRY_BACKOFF_SECONDS = 0
    team, _other = hooked
    item = _overdue_item(team)
    slack_receiver.answer(500, "rollup_error", times=10)
    reminders.sweep()
    _wait_for_messages(SlackMessage.State.FAILED)
    message = SlackMessage.objects.get(kind="reminders")
    assert message.attempts == 5
    time.sleep(0.5)
    assert len(slack_receiver.requests) == 5
    row = item.reminders.get()
    assert row.state == ReminderLog.State.FAILED
    assert row.last_error == "rollup_error"
    assert row.attempts == 5


def test_a_rate_limit_does_not_use_up_the_tries_for_failures(
    redis_celery_worker, slack_receiver, hooked, settings
):
    settings.SLACK_RETRY_BACKOFF_SECONDS = 0
    team, _other = hooked
    _overdue_item(team)
    slack_receiver.answer(500, "rollup_error", times=3)
    slack_receiver.answer(429, "rate_limited", {"Retry-After": "1"})
    slack_receiver.answer(500, "rollup_error")
    reminders.sweep()
    # Four failures and a 429 in between: the fifth try for failures is still due (the
    # 429 is not counted as one), and it succeeds.
    _wait_for_messages(SlackMessage.State.SENT, timeout=15)
    assert SlackMessage.objects.get(kind="reminders").attempts == 6


def test_a_gone_webhook_disables_the_team_and_shows_the_managers_a_banner(
    redis_celery_worker, slack_receiver, hooked, manager, alice
):
    team, _other = hooked
    item = _overdue_item(team)
    slack_receiver.answer(410, "channel_is_archived")
    reminders.sweep()
    _wait_for_messages(SlackMessage.State.FAILED)
    team.refresh_from_db()
    assert team.slack_webhook_disabled_reason == "channel_is_archived"
    assert item.reminders.get().state == ReminderLog.State.FAILED
    assert list(selectors.teams_with_dead_webhook(manager)) == [team]
    assert list(selectors.teams_with_dead_webhook(alice)) == []
    assert len(slack_receiver.requests) == 1


def test_a_metadata_address_as_webhook_is_never_requested(
    redis_celery_worker, slack_receiver, team, caplog
):
    # Saved before the allow-list changed, or written around the form: checked at send time.
    Team.objects.filter(pk=team.pk).update(
        slack_webhook_url="https://169.254.169.254/latest/meta-data/iam-secret"
    )
    item = _overdue_item(team)
    reminders.sweep()
    _wait_for_messages(SlackMessage.State.FAILED)
    message = SlackMessage.objects.get(kind="reminders")
    assert message.last_error.startswith("webhook URL refused")
    assert message.attempts == 1
    assert slack_receiver.requests == []
    assert item.reminders.get().state == ReminderLog.State.FAILED
    assert "iam-secret" not in caplog.text
    assert "iam-secret" not in message.last_error


def test_a_loopback_port_outside_the_allow_list_is_never_requested(
    redis_celery_worker, slack_receiver, team, caplog
):
    stranger = SlackReceiver()  # a real server, but its origin is not allowed
    stranger.thread.start()
    try:
        Team.objects.filter(pk=team.pk).update(
            slack_webhook_url=stranger.url("/services/T9/B9/stranger-secret")
        )
        item = _overdue_item(team)
        reminders.sweep()
        _wait_for_messages(SlackMessage.State.FAILED)
        time.sleep(0.3)
        assert stranger.requests == []
        assert slack_receiver.requests == []
        message = SlackMessage.objects.get(kind="reminders")
        assert message.last_error.startswith("webhook URL refused")
        assert item.reminders.get().state == ReminderLog.State.FAILED
        assert "stranger-secret" not in caplog.text
        assert "stranger-secret" not in message.last_error
    finally:
        stranger.server.shutdown()
        stranger.server.server_close()
