"""Outgoing webhooks end to end: a loopback receiver verifies every signature with the
standardwebhooks library (not our code)."""

import json

import pytest
from standardwebhooks.webhooks import Webhook as Verifier

from actions import reminders
from actions import services as action_services
from api import services
from api.models import Webhook, WebhookDelivery
from postmortems import services as postmortem_services
from tests.factories import ActionItemFactory, PostmortemFactory

ALL_EVENTS = list(Webhook.Event.values)


@pytest.fixture
def hook(team, manager, webhook_receiver):
    return services.webhook_create(
        team=team, url=webhook_receiver.url(), events=ALL_EVENTS, by=manager
    )


def _verified(receiver, hook):
    """Every request's payload, each checked against its Standard Webhooks signature."""
    verifier = Verifier(hook.secret)
    return [verifier.verify(r["body"], r["headers"]) for r in receiver.requests]


def test_each_event_arrives_once_signed(
    hook, webhook_receiver, alice, manager, team, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        postmortem = postmortem_services.postmortem_create(
            data={
                "title": "Checkout errors",
                "team": team,
                "severity": "SEV4",
                "summary": "Errors rose.",
                "impact": "Some checkouts failed.",
            },
            by=alice,
        )
    # A reviewer who is not the author (the review rule), set without an event of its own.
    postmortem.reviewers.set([manager])
    with django_capture_on_commit_callbacks(execute=True):
        postmortem_services.postmortem_submit_for_review(postmortem=postmortem, by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        postmortem_services.postmortem_publish(postmortem=postmortem, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        item = action_services.action_item_create(
            postmortem=postmortem, by=alice, title="Alert on errors", team=team
        )
    with django_capture_on_commit_callbacks(execute=True):
        action_services.action_item_start(item=item, by=alice)
    events = [(p["type"], p["data"].get("status")) for p in _verified(webhook_receiver, hook)]
    assert events == [
        ("postmortem.created", "draft"),
        ("postmortem.status_changed", "in_review"),
        ("postmortem.status_changed", "published"),
        ("postmortem.published", "published"),
        ("action_item.created", "open"),
        ("action_item.status_changed", "in_progress"),
    ]
    ids = [r["headers"]["webhook-id"] for r in webhook_receiver.requests]
    assert len(set(ids)) == len(ids)


def test_a_webhook_hears_only_the_events_it_picked(
    team, manager, alice, webhook_receiver, celery_eager, django_capture_on_commit_callbacks
):
    services.webhook_create(
        team=team, url=webhook_receiver.url(), events=["postmortem.published"], by=manager
    )
    with django_capture_on_commit_callbacks(execute=True):
        postmortem_services.postmortem_create(data={"title": "x", "team": team}, by=alice)
    assert webhook_receiver.requests == []


def test_server_errors_are_retried_with_the_same_message_id(
    hook, webhook_receiver, manager, celery_eager, django_capture_on_commit_callbacks
):
    celery_eager.conf.task_eager_propagates = False  # retries run inline
    webhook_receiver.answer(503, times=2)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.webhook_send_test_event(webhook=hook, by=manager)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.SENT
    assert delivery.attempts == 3
    assert [a.http_status for a in delivery.tries.order_by("id")] == [503, 503, 200]
    assert {r["headers"]["webhook-id"] for r in webhook_receiver.requests} == {delivery.message_id}
    assert len(_verified(webhook_receiver, hook)) == 3


def test_repeated_failures_switch_the_webhook_off(
    hook, webhook_receiver, manager, settings, celery_eager, django_capture_on_commit_callbacks
):
    celery_eager.conf.task_eager_propagates = False
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    webhook_receiver.answer(500, times=10)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.webhook_send_test_event(webhook=hook, by=manager)
    hook.refresh_from_db()
    assert "2 deliveries in a row failed" in hook.disabled_reason
    assert len(webhook_receiver.requests) == 10  # five tries each, then nothing more
    with django_capture_on_commit_callbacks(execute=True):
        later = services.webhook_send_test_event(webhook=hook, by=manager)
    later.refresh_from_db()
    assert later.state == WebhookDelivery.State.WITHHELD
    assert len(webhook_receiver.requests) == 10


def test_410_switches_the_webhook_off_at_once(
    hook, webhook_receiver, manager, celery_eager, django_capture_on_commit_callbacks
):
    webhook_receiver.answer(410)
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_send_test_event(webhook=hook, by=manager)
    hook.refresh_from_db()
    assert "410" in hook.disabled_reason


def test_a_restricted_postmortem_never_reaches_another_teams_webhook(
    team,
    other_team,
    manager,
    alice,
    outsider,
    webhook_receiver,
    celery_eager,
    django_capture_on_commit_callbacks,
):
    from postmortems.models import Membership, Postmortem

    Membership.objects.filter(user=outsider).update(role="manager")
    theirs = services.webhook_create(
        team=other_team, url=webhook_receiver.url("/theirs"), events=ALL_EVENTS, by=outsider
    )
    postmortem = PostmortemFactory(team=team)
    # Handed to the other team, then the postmortem became restricted.
    item = ActionItemFactory(postmortem=postmortem, team=other_team)
    Postmortem.objects.filter(pk=postmortem.pk).update(restricted=True)
    item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        action_services.action_item_start(item=item, by=alice)
    assert not WebhookDelivery.objects.filter(webhook=theirs).exists()
    assert webhook_receiver.requests == []


def test_a_postmortem_restricted_after_the_event_is_withheld(
    team, other_team, outsider, alice, webhook_receiver, celery_eager
):
    from postmortems.models import Membership

    Membership.objects.filter(user=outsider).update(role="manager")
    theirs = services.webhook_create(
        team=other_team, url=webhook_receiver.url(), events=ALL_EVENTS, by=outsider
    )
    postmortem = PostmortemFactory(team=team)
    delivery = services.webhook_delivery_enqueue(
        webhook=theirs, event="action_item.created", data={}, postmortem_id=postmortem.pk
    )
    postmortem.restricted = True
    postmortem.save()
    services.webhook_delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.WITHHELD
    assert webhook_receiver.requests == []


def test_overdue_items_are_announced_once_per_reminder_day(
    hook, webhook_receiver, team, alice, celery_eager, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from actions.models import ActionItem

    item = ActionItemFactory(postmortem=PostmortemFactory(team=team), assignee=alice)
    today = timezone.localdate()
    ActionItem.objects.filter(pk=item.pk).update(due_date=today - datetime.timedelta(days=1))
    for _ in range(2):  # the hourly sweep runs again the same day
        with django_capture_on_commit_callbacks(execute=True):
            reminders.sweep(today)
    overdue = [p for p in _verified(webhook_receiver, hook) if p["type"] == "action_item.overdue"]
    assert [p["data"]["id"] for p in overdue] == [item.pk]


def test_one_sweep_announces_each_teams_overdue_items_to_that_teams_hook_only(
    hook,
    webhook_receiver,
    team,
    other_team,
    alice,
    celery_eager,
    django_capture_on_commit_callbacks,
):
    import datetime

    from django.utils import timezone

    from actions.models import ActionItem

    mine = ActionItemFactory(postmortem=PostmortemFactory(team=team), team=team, assignee=alice)
    theirs = ActionItemFactory(
        postmortem=PostmortemFactory(team=other_team), team=other_team, assignee=alice
    )
    today = timezone.localdate()
    ActionItem.objects.filter(pk__in=[mine.pk, theirs.pk]).update(
        due_date=today - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = reminders.sweep(today)
    assert report.kinds["overdue"].claimed == 2
    overdue = [p for p in _verified(webhook_receiver, hook) if p["type"] == "action_item.overdue"]
    assert [p["data"]["id"] for p in overdue] == [mine.pk]


def test_urls_outside_the_allow_list_are_refused(team, manager, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.com"]
    from django.core.exceptions import ValidationError

    for url in ("http://169.254.169.254/latest", "https://10.0.0.1/x", "https://evil.test/x"):
        with pytest.raises(ValidationError):
            services.webhook_create(team=team, url=url, events=ALL_EVENTS, by=manager)


def test_the_body_is_exactly_what_was_signed(
    hook, webhook_receiver, manager, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_send_test_event(webhook=hook, by=manager)
    request = webhook_receiver.requests[0]
    assert json.loads(request["body"])["type"] == "webhook.test"
    assert request["headers"]["webhook-signature"].startswith("v1,")
