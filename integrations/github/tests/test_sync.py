"""Action items and GitHub Issues, against a loopback GitHub that sends its webhooks back."""

import datetime

import pytest

from actions import services as item_services
from integrations.models import TrackerLink, TrackerMessage
from integrations.trackers import services
from integrations.trackers.tests.fixtures import GITHUB_TOKEN
from tests.factories import ActionItemFactory, PostmortemFactory


@pytest.fixture
def connection(team, github_server, webhooks_via):
    connection, secret = services.connection_create(
        team=team, kind="github", project="acme/payments", token=GITHUB_TOKEN
    )
    webhooks_via(github_server, connection, secret)
    return connection


@pytest.fixture
def item(team, alice):
    postmortem = PostmortemFactory(team=team, title="Checkout outage")
    return ActionItemFactory(
        postmortem=postmortem, team=team, title="Alert on payment error rate", notes="Use SLOs."
    )


@pytest.fixture
def sending(celery_eager, django_capture_on_commit_callbacks):
    """Run what is queued after commit (the outbox tasks) right away."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def create_issue(alice_client, item, connection, sending):
    return sending(
        lambda: alice_client.post(
            f"/actions/{item.pk}/tracker/create/", {"connection": connection.pk}
        )
    )


def test_create_issue_makes_the_issue_and_links_the_item(
    alice_client, item, connection, github_server, sending
):
    answer = create_issue(alice_client, item, connection, sending)
    assert answer.status_code == 302
    issue = github_server.issues[1]
    assert issue["title"] == "Alert on payment error rate"
    assert f"/actions/{item.pk}/" in issue["body"]
    assert "Checkout outage" in issue["body"] and "Use SLOs." in issue["body"]
    assert [label["name"] for label in issue["labels"]] == ["hindsight", item.priority]
    link = TrackerLink.objects.get(item=item)
    assert (link.external_id, link.url) == ("1", "https://github.com/acme/payments/issues/1")
    item.refresh_from_db()
    assert item.tracker_url == link.url
    assert github_server.calls("POST")[0]["auth"] == f"Bearer {GITHUB_TOKEN}"


def test_the_item_page_shows_the_ticket_and_never_the_token(
    alice_client, item, connection, sending
):
    create_issue(alice_client, item, connection, sending)
    page = alice_client.get(f"/actions/{item.pk}/").content.decode()
    assert 'id="tracker-ticket"' in page and "#1" in page
    assert GITHUB_TOKEN not in page


def test_a_restricted_postmortems_issue_carries_only_the_title_and_the_link(
    alice_client, item, connection, github_server, sending
):
    item.postmortem.restricted = True
    item.postmortem.save()
    create_issue(alice_client, item, connection, sending)
    body = github_server.issues[1]["body"]
    assert "Checkout outage" not in body and "Use SLOs." not in body
    assert f"/actions/{item.pk}/" in body


def test_someone_who_cannot_open_a_restricted_item_cannot_export_it(
    outsider_client, item, connection, github_server, sending
):
    item.postmortem.restricted = True
    item.postmortem.save()
    answer = create_issue(outsider_client, item, connection, sending)
    assert answer.status_code == 404
    assert github_server.issues == {}


def test_someone_who_may_read_but_not_edit_cannot_export(
    outsider_client, item, connection, github_server, sending
):
    create_issue(outsider_client, item, connection, sending)
    assert github_server.issues == {}
    assert not TrackerLink.objects.exists()


def test_closing_the_issue_in_github_completes_the_item_with_the_closed_time(
    alice_client, item, connection, github_server, sending
):
    create_issue(alice_client, item, connection, sending)
    assert github_server.close(1, actor="octocat") == 200
    item.refresh_from_db()
    assert item.status == "done"
    assert item.completed_at == datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)
    latest = item.history.first()
    assert latest.history_change_reason == "GitHub issue #1 closed by octocat"
    # The change came from GitHub: nothing is sent back.
    assert github_server.calls("PATCH") == []


def test_reopening_the_issue_reopens_the_item(
    alice_client, item, connection, github_server, sending
):
    create_issue(alice_client, item, connection, sending)
    github_server.close(1)
    github_server.reopen(1)
    item.refresh_from_db()
    assert (item.status, item.completed_at) == ("open", None)


def test_reassigning_the_issue_to_a_team_member_reassigns_the_item(
    alice_client, item, connection, github_server, sending, manager
):
    create_issue(alice_client, item, connection, sending)
    github_server.assign(1, "mona")
    item.refresh_from_db()
    assert item.assignee == manager


def test_an_assignee_hindsight_does_not_know_leaves_the_item_as_it_is(
    alice_client, item, connection, github_server, sending, alice
):
    item_services.action_item_update(item=item, by=alice, assignee=alice)
    create_issue(alice_client, item, connection, sending)
    github_server.assign(1, "a-stranger")
    item.refresh_from_db()
    assert item.assignee == alice


def test_completing_the_item_here_closes_the_issue(
    alice_client, item, connection, github_server, sending, alice
):
    create_issue(alice_client, item, connection, sending)
    sending(lambda: item_services.action_item_complete(item=item, by=alice))
    assert github_server.issues[1]["state"] == "closed"
    sending(lambda: item_services.action_item_reopen(item=item, by=alice))
    assert github_server.issues[1]["state"] == "open"


def test_renaming_the_item_renames_the_issue(
    alice_client, item, connection, github_server, sending, alice
):
    create_issue(alice_client, item, connection, sending)
    sending(lambda: item_services.action_item_update(item=item, by=alice, title="Page on SLO"))
    assert github_server.issues[1]["title"] == "Page on SLO"


def test_a_server_error_is_retried_until_it_goes_through(
    alice_client, item, connection, github_server, sending, celery_eager
):
    # Eager mode runs the retries inline (countdowns are not waited for).
    celery_eager.conf.task_eager_propagates = False
    github_server.fail_next(502, times=2)
    create_issue(alice_client, item, connection, sending)
    message = TrackerMessage.objects.get()
    assert (message.state, message.attempts) == ("sent", 3)
    assert 1 in github_server.issues


def test_five_failures_leave_the_message_failed(
    alice_client, item, connection, github_server, sending, celery_eager
):
    celery_eager.conf.task_eager_propagates = False
    github_server.fail_next(503, times=10)
    create_issue(alice_client, item, connection, sending)
    message = TrackerMessage.objects.get()
    assert (message.state, message.attempts) == ("failed", 5)


def test_a_refusal_is_not_retried_and_shows_on_the_item(
    alice_client, item, connection, github_server, sending
):
    github_server.fail_next(422, {"message": "Validation Failed"})
    create_issue(alice_client, item, connection, sending)
    message = TrackerMessage.objects.get()
    assert (message.state, message.attempts) == ("failed", 1)
    page = alice_client.get(f"/actions/{item.pk}/").content.decode()
    assert "Validation Failed" in page


def test_linking_an_existing_issue_comments_there_with_the_link_back(
    alice_client, item, connection, github_server, sending
):
    github_server.issues[7] = {"number": 7, "state": "open", "comments": [], "title": "x"}
    sending(
        lambda: alice_client.post(
            f"/actions/{item.pk}/tracker/link/",
            {"connection": connection.pk, "reference": "https://github.com/acme/payments/issues/7"},
        )
    )
    assert TrackerLink.objects.get(item=item).external_id == "7"
    assert f"/actions/{item.pk}/" in github_server.issues[7]["comments"][0]
    github_server.close(7)
    item.refresh_from_db()
    assert item.status == "done"


def test_a_webhook_with_a_wrong_signature_is_refused(
    alice_client, item, connection, github_server, sending
):
    create_issue(alice_client, item, connection, sending)
    github_server.webhook_secret = "not-the-secret"
    assert github_server.close(1) == 401
    item.refresh_from_db()
    assert item.status == "open"
