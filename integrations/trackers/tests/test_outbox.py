import datetime

from django.utils import timezone

from integrations.models import TrackerLink, TrackerMessage
from integrations.trackers import services
from integrations.trackers.tests.fixtures import GITHUB_TOKEN
from tests.factories import ActionItemFactory, PostmortemFactory


def test_a_stalled_message_is_sent_by_the_sweep_and_only_once(team, github_server, celery_eager):
    connection, _secret = services.connection_create(
        team=team, kind="github", project="acme/payments", token=GITHUB_TOKEN
    )
    item = ActionItemFactory(postmortem=PostmortemFactory(team=team), team=team)
    link = TrackerLink.objects.create(item=item, connection=connection)
    message = TrackerMessage.objects.create(
        link=link, action="create", payload={"title": "t", "body": "b", "labels": []}
    )
    TrackerMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert services.messages_resend_stalled() == 1
    assert services.messages_resend_stalled() == 0
    message.refresh_from_db()
    assert message.state == "sent"
    assert len(github_server.issues) == 1


def test_a_message_stops_after_five_tries_however_often_it_is_resent(
    team, github_server, celery_eager
):
    connection, _secret = services.connection_create(
        team=team, kind="github", project="acme/payments", token=GITHUB_TOKEN
    )
    item = ActionItemFactory(postmortem=PostmortemFactory(team=team), team=team)
    link = TrackerLink.objects.create(item=item, connection=connection)
    message = TrackerMessage.objects.create(
        link=link, action="create", payload={"title": "t", "body": "b", "labels": []}, attempts=4
    )
    github_server.fail_next(503)
    services.message_attempt(message_id=message.pk)
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("failed", 5)
