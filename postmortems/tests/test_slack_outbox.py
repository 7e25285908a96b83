"""The outbox's delivery lease: no transaction open during the HTTP post, a message being
posted is left alone by a second task, and one whose worker died is dispatched again."""

import datetime

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from postmortems import services
from postmortems.models import SlackMessage
from postmortems.slack import client, outbox
from postmortems.tasks import deliver_slack_message, redispatch_slack_messages

NOW = datetime.datetime(2026, 3, 18, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def hooked_team(team, slack_receiver):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    return team


def _message(team, **fields):
    return SlackMessage.objects.create(team=team, kind="test", payload={"text": "x"}, **fields)


@pytest.mark.django_db(transaction=True)
def test_the_post_happens_outside_any_transaction_with_the_lease_taken(
    hooked_team, slack_receiver, monkeypatch
):
    message = _message(hooked_team)
    seen = {}
    real_post = client.post

    def post(url, payload):
        seen["in_transaction"] = connection.in_atomic_block
        seen["lease"] = SlackMessage.objects.get(pk=message.pk).sending_since
        return real_post(url, payload)

    monkeypatch.setattr(client, "post", post)
    services.slack_message_attempt(message_id=message.pk)
    message.refresh_from_db()
    assert seen["in_transaction"] is False
    assert seen["lease"] is not None
    assert message.state == SlackMessage.State.SENT
    assert message.sending_since is None
    assert len(slack_receiver.requests) == 1


def test_a_message_another_worker_is_posting_is_left_alone(hooked_team, slack_receiver):
    with time_machine.travel(NOW, tick=False):
        message = _message(hooked_team, attempts=1, sending_since=timezone.now())
    with time_machine.travel(NOW + datetime.timedelta(seconds=59), tick=False):
        assert services.slack_message_attempt(message_id=message.pk) is None
    message.refresh_from_db()
    assert message.state == SlackMessage.State.PENDING
    assert message.attempts == 1
    assert slack_receiver.requests == []


def test_an_expired_lease_is_taken_over_and_the_message_posted(
    hooked_team, slack_receiver, settings
):
    settings.SLACK_SEND_LEASE_SECONDS = 60
    with time_machine.travel(NOW, tick=False):
        message = _message(hooked_team, attempts=1, sending_since=timezone.now())
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        result = services.slack_message_attempt(message_id=message.pk)
    assert result.ok
    message.refresh_from_db()
    assert message.state == SlackMessage.State.SENT
    assert message.attempts == 2
    assert len(slack_receiver.requests) == 1


def test_an_answer_after_the_lease_was_taken_over_is_not_recorded(
    hooked_team, slack_receiver, monkeypatch, caplog
):
    message = _message(hooked_team)
    real_post = client.post

    def slow_post(url, payload):
        # Meanwhile the lease expired and another worker took the message over.
        SlackMessage.objects.filter(pk=message.pk).update(
            sending_since=timezone.now() + datetime.timedelta(seconds=1), attempts=2
        )
        return real_post(url, payload)

    monkeypatch.setattr(client, "post", slow_post)
    services.slack_message_attempt(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == SlackMessage.State.PENDING
    assert message.attempts == 2
    assert "after the lease expired" in caplog.text


def test_a_retryable_failure_gives_the_lease_back(hooked_team, slack_receiver):
    slack_receiver.answer(503, "")
    message = _message(hooked_team)
    result = services.slack_message_attempt(message_id=message.pk)
    assert result.status == client.RETRYABLE
    message.refresh_from_db()
    assert message.state == SlackMessage.State.PENDING
    assert message.sending_since is None
    assert message.attempts == 1


def test_the_redispatch_queues_lost_and_abandoned_messages_only(
    hooked_team, slack_receiver, celery_eager, settings
):
    settings.SLACK_SEND_LEASE_SECONDS = 60
    with time_machine.travel(NOW - datetime.timedelta(hours=2), tick=False):
        lost = _message(hooked_team)
        in_retry_chain = _message(hooked_team, attempts=2)
        done = _message(hooked_team, state=SlackMessage.State.SENT, attempts=1)
    with time_machine.travel(NOW - datetime.timedelta(minutes=5), tick=False):
        abandoned = _message(hooked_team, attempts=1, sending_since=timezone.now())
        queued_recently = _message(hooked_team)
    with time_machine.travel(NOW - datetime.timedelta(seconds=10), tick=False):
        being_posted = _message(hooked_team, attempts=1, sending_since=timezone.now())
    with time_machine.travel(NOW, tick=False):
        assert redispatch_slack_messages.delay().get() == 2
    states = {
        m: SlackMessage.objects.get(pk=m.pk).state
        for m in (lost, in_retry_chain, done, abandoned, queued_recently, being_posted)
    }
    assert states == {
        lost: SlackMessage.State.SENT,
        in_retry_chain: SlackMessage.State.PENDING,
        done: SlackMessage.State.SENT,
        abandoned: SlackMessage.State.SENT,
        queued_recently: SlackMessage.State.PENDING,
        being_posted: SlackMessage.State.PENDING,
    }
    assert len(slack_receiver.requests) == 2


def test_a_redelivered_task_for_a_sent_message_posts_nothing(
    hooked_team, slack_receiver, celery_eager
):
    message = _message(hooked_team)
    deliver_slack_message.delay(message.pk)
    # The broker hands the same task out again (its worker died before acknowledging).
    deliver_slack_message.delay(message.pk)
    assert len(slack_receiver.requests) == 1


def test_a_busy_database_before_the_post_is_tried_again(
    hooked_team, slack_receiver, celery_eager, monkeypatch
):
    celery_eager.conf.task_eager_propagates = False  # let the retry run inline
    message = _message(hooked_team)
    real_attempt = services.slack_message_attempt
    calls = []

    def attempt(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("database table is locked")
        return real_attempt(**kwargs)

    monkeypatch.setattr(services, "slack_message_attempt", attempt)
    deliver_slack_message.delay(message.pk)
    message.refresh_from_db()
    assert len(calls) == 2
    assert message.state == SlackMessage.State.SENT
    assert len(slack_receiver.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_an_answer_is_recorded_again_after_a_database_error_instead_of_posted_again(
    hooked_team, slack_receiver, monkeypatch
):
    message = _message(hooked_team)
    real_record = outbox._record
    tries = []

    def record(*args, **kwargs):
        tries.append(connection.in_atomic_block)
        if len(tries) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(outbox, "_record", record)
    assert services.slack_message_attempt(message_id=message.pk).ok
    message.refresh_from_db()
    assert len(tries) == 2
    assert message.state == SlackMessage.State.SENT
    assert message.sending_since is None
    assert len(slack_receiver.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_an_answer_is_not_recorded_once_the_lease_would_be_over(
    hooked_team, slack_receiver, monkeypatch, settings
):
    settings.SLACK_SEND_LEASE_SECONDS = 0
    message = _message(hooked_team)

    def record(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(outbox, "_record", record)
    with pytest.raises(OperationalError):
        services.slack_message_attempt(message_id=message.pk)
    assert len(slack_receiver.requests) == 1
