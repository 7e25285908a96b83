import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from actions.models import ReminderLog
from postmortems.models import SlackMessage, Team
from tests.factories import ActionItemFactory, PostmortemFactory

DUE = datetime.date(2026, 3, 18)


def _item(team, due=DUE):
    return ActionItemFactory(team=team, postmortem=PostmortemFactory(team=team), due_date=due)


def send_reminders(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_send_reminders_runs_the_sweep_for_the_given_day_and_prints_the_report(
    team, other_team, slack_receiver, celery_eager
):
    Team.objects.filter(pk=team.pk).update(slack_webhook_url=slack_receiver.url())
    _item(team)
    _item(team, due=DUE + datetime.timedelta(days=2))
    _item(other_team)  # no webhook: recorded, not sent
    _item(team, due=DUE + datetime.timedelta(days=40))  # nothing due

    output = send_reminders("--date", "2026-03-19")

    assert "Reminder sweep for 2026-03-19" in output
    assert "Items considered: 3" in output
    assert "overdue: 2 new, 0 already reminded" in output
    assert "due_soon: 1 new, 0 already reminded" in output
    assert "Messages queued: 2 (one per team)" in output
    assert "Messages sent: 1" in output
    assert "Messages skipped (no webhook): 1" in output
    assert "Messages failed: 0" in output
    assert len(slack_receiver.requests) == 1
    assert set(ReminderLog.objects.values_list("for_date", flat=True)) == {
        datetime.date(2026, 3, 19)
    }


@pytest.mark.django_db(transaction=True)
def test_running_it_again_the_same_day_sends_nothing(team, slack_receiver, celery_eager):
    Team.objects.filter(pk=team.pk).update(slack_webhook_url=slack_receiver.url())
    _item(team)
    send_reminders("--date", "2026-03-19")

    output = send_reminders("--date", "2026-03-19")

    assert "Reminders: 0 new, 1 already reminded" in output
    assert "Messages queued: 0 (one per team)" in output
    assert "Messages sent: 0" in output
    assert len(slack_receiver.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_reported(team, slack_receiver, celery_eager):
    Team.objects.filter(pk=team.pk).update(slack_webhook_url=slack_receiver.url())
    slack_receiver.answer(400, "invalid_blocks")
    _item(team)

    output = send_reminders("--date", "2026-03-19")

    assert "Messages failed: 1" in output
    assert "Messages sent: 0" in output


@pytest.mark.django_db
def test_without_a_date_it_sweeps_today(team):
    _item(team)
    with time_machine.travel(datetime.datetime(2026, 3, 26, 9, tzinfo=datetime.UTC), tick=False):
        output = send_reminders()
    assert "Reminder sweep for 2026-03-26" in output
    # Without a worker the message waits in the outbox; the report says so.
    assert "Messages pending: 1" in output
    assert SlackMessage.objects.get().state == SlackMessage.State.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2026-02-30", "19/03/2026", "tomorrow", "2026-3-1x"])
def test_a_bad_date_is_a_clear_command_error(value):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        send_reminders("--date", value)
    assert not SlackMessage.objects.exists()
