import time

import pytest
from django.db import transaction

from postmortems import services
from postmortems.models import SlackMessage
from postmortems.tasks import deliver_slack_message


def _wait_for_state(message, states, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.state in states:
            return message
        time.sleep(0.1)
    raise AssertionError(f"message stayed {message.state}")


@pytest.mark.celery
def test_test_message_round_trips_through_redis_and_a_real_worker(
    redis_celery_worker, slack_receiver, team, manager
):
    team.slack_webhook_url = slack_receiver.url("/services/T1/B1/roundtrip")
    team.save()
    with transaction.atomic():
        message = services.team_send_test_message(team=team, by=manager)
        # Nothing is sent before the transaction commits.
        assert slack_receiver.requests == []
    slack_receiver.wait_for(1)
    _wait_for_state(message, {SlackMessage.State.SENT})
    assert slack_receiver.requests[0]["path"] == "/services/T1/B1/roundtrip"
    assert message.attempts == 1


def test_dead_webhook_disables_the_team_and_stops_sending(
    team, manager, slack_receiver, celery_eager
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    slack_receiver.answer(410, "channel_is_archived")
    message = SlackMessage.objects.create(team=team, kind="test", payload={"text": "hi"})
    deliver_slack_message.delay(message.pk)
    message.refresh_from_db()
    team.refresh_from_db()
    assert message.state == SlackMessage.State.FAILED
    assert team.slack_webhook_disabled_reason == "channel_is_archived"
    second = SlackMessage.objects.create(team=team, kind="test", payload={"text": "again"})
    deliver_slack_message.delay(second.pk)
    second.refresh_from_db()
    assert second.state == SlackMessage.State.FAILED
    assert len(slack_receiver.requests) == 1


def test_invalid_payload_is_failed_without_retry(team, slack_receiver, celery_eager, caplog):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    slack_receiver.answer(400, "invalid_payload")
    message = SlackMessage.objects.create(team=team, kind="test", payload={"text": "x"})
    deliver_slack_message.delay(message.pk)
    message.refresh_from_db()
    assert message.state == SlackMessage.State.FAILED
    assert message.last_error == "invalid_payload"
    assert len(slack_receiver.requests) == 1
    assert any(r.levelname == "ERROR" for r in caplog.records)


def test_server_errors_are_retried_then_marked_failed(team, slack_receiver, celery_eager):
    # Let retries run inline instead of propagating the first Retry.
    celery_eager.conf.task_eager_propagates = False
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    slack_receiver.answer(500, "rollup_error", times=10)
    message = SlackMessage.objects.create(team=team, kind="test", payload={"text": "x"})
    # Eager mode runs the retries inline (countdowns are not waited for).
    deliver_slack_message.delay(message.pk)
    message.refresh_from_db()
    assert message.state == SlackMessage.State.FAILED
    assert message.attempts == 5
    assert len(slack_receiver.requests) == 5


def test_no_webhook_is_recorded_not_lost(team, celery_eager):
    message = SlackMessage.objects.create(team=team, kind="test", payload={"text": "x"})
    deliver_slack_message.delay(message.pk)
    message.refresh_from_db()
    assert message.state == SlackMessage.State.SKIPPED_NO_WEBHOOK


def test_a_sent_message_is_never_sent_again(team, slack_receiver, celery_eager):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    message = SlackMessage.objects.create(team=team, kind="test", payload={"text": "x"})
    deliver_slack_message.delay(message.pk)
    deliver_slack_message.delay(message.pk)
    assert len(slack_receiver.requests) == 1
