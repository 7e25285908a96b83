"""Action items and Jira Cloud, against a loopback Jira that sends its webhooks back."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from actions import services as item_services
from integrations.models import TrackerLink
from integrations.trackers import services
from integrations.trackers.tests.fixtures import JIRA_EMAIL, JIRA_TOKEN
from tests.factories import ActionItemFactory, PostmortemFactory


@pytest.fixture
def connection(team, jira_server, webhooks_via):
    connection, secret = services.connection_create(
        team=team,
        kind="jira",
        project="OPS",
        site_url=jira_server.origin,
        account_email=JIRA_EMAIL,
        token=JIRA_TOKEN,
    )
    webhooks_via(jira_server, connection, secret)
    return connection


@pytest.fixture
def item(team, alice):
    postmortem = PostmortemFactory(team=team, title="Search outage")
    return ActionItemFactory(postmortem=postmortem, team=team, title="Add a canary for search")


@pytest.fixture
def sending(celery_eager, django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def create_issue(client, item, connection, sending):
    sending(
        lambda: client.post(f"/actions/{item.pk}/tracker/create/", {"connection": connection.pk})
    )


def test_create_issue_makes_a_jira_task_with_the_link_back(
    alice_client, item, connection, jira_server, sending
):
    create_issue(alice_client, item, connection, sending)
    issue = jira_server.issues["OPS-1"]
    assert issue["fields"]["summary"] == "Add a canary for search"
    assert issue["fields"]["issuetype"] == {"name": "Task"}
    text = " ".join(
        part["text"]
        for para in issue["fields"]["description"]["content"]
        for part in para["content"]
    )
    assert f"/actions/{item.pk}/" in text
    link = TrackerLink.objects.get(item=item)
    assert link.url == f"{jira_server.origin}/browse/OPS-1"


def test_moving_the_issue_to_done_in_jira_completes_the_item(
    alice_client, item, connection, jira_server, sending
):
    create_issue(alice_client, item, connection, sending)
    assert jira_server.move("OPS-1", "Done") == 200
    item.refresh_from_db()
    assert item.status == "done"
    assert item.completed_at == datetime.datetime(2026, 12, 1, 11, 0, tzinfo=datetime.UTC)
    assert item.history.first().history_change_reason == (
        "Jira OPS-1: status To Do → Done by Jamie Jira"
    )
    jira_server.move("OPS-1", "To Do")
    item.refresh_from_db()
    assert item.status == "open"


def test_completing_the_item_here_moves_the_issue_through_the_done_transition(
    alice_client, item, connection, jira_server, sending, alice
):
    create_issue(alice_client, item, connection, sending)
    sending(lambda: item_services.action_item_complete(item=item, by=alice))
    assert jira_server.issues["OPS-1"]["status"] == "Done"


def test_a_jira_site_off_the_allow_list_is_refused(team, settings):
    settings.JIRA_ALLOWED_HOSTS = ["acme.atlassian.net"]
    with pytest.raises(ValidationError) as caught:
        services.connection_create(
            team=team, kind="jira", project="OPS", site_url="http://169.254.169.254/"
        )
    assert "site_url" in caught.value.message_dict


def test_an_allowed_jira_site_is_accepted(team, settings):
    settings.JIRA_ALLOWED_HOSTS = ["acme.atlassian.net"]
    connection, _secret = services.connection_create(
        team=team,
        kind="jira",
        project="OPS",
        site_url="https://acme.atlassian.net",
        account_email="bot@acme.example",
    )
    assert connection.pk


def test_a_jira_connection_needs_the_account_email(team, settings):
    settings.JIRA_ALLOWED_HOSTS = ["acme.atlassian.net"]
    with pytest.raises(ValidationError) as caught:
        services.connection_create(
            team=team, kind="jira", project="OPS", site_url="https://acme.atlassian.net"
        )
    assert "account_email" in caught.value.message_dict


def test_a_jira_webhook_without_the_signature_is_refused(
    alice_client, item, connection, jira_server, sending
):
    create_issue(alice_client, item, connection, sending)
    jira_server.webhook_secret = "wrong"
    assert jira_server.move("OPS-1", "Done") == 401
