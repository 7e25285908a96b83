import pytest

from postmortems.models import SlackMessage

URL = "/teams/payments/settings/"


def test_manager_sets_a_slack_webhook_and_sees_it_masked(manager_client, team, settings):
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com"]
    secret = "https://hooks.slack.com/services/T0001/B0001/verysecretpart"
    response = manager_client.post(URL, {"slack_webhook_url": secret, "language": "en"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.slack_webhook_url == secret
    page = manager_client.get(URL)
    assert b"verysecretpart" not in page.content
    assert team.slack_webhook_masked.encode() in page.content


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.slack.com/services/T/B/X", b"https://"),
        ("https://example.com/services/T/B/X", b"may only point at"),
        ("javascript:alert(1)", b"https://"),
        ("https://192.168.0.10/services/T/B/X", b"IP address"),
        ("https://hooks.slack.com/" + "x" * 600, b"too long"),
    ],
)
def test_bad_webhook_urls_are_refused_with_a_clear_error(manager_client, team, url, message):
    response = manager_client.post(URL, {"slack_webhook_url": url, "language": "en"})
    assert response.status_code == 400
    assert message in response.content
    team.refresh_from_db()
    assert team.slack_webhook_url == ""


def test_saving_a_new_url_clears_a_dead_webhook(manager_client, team):
    team.slack_webhook_disabled_reason = "channel_is_archived"
    team.save()
    response = manager_client.post(
        URL,
        {"slack_webhook_url": "https://hooks.slack.com/services/T/B/NEW", "language": "ko"},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.slack_webhook_disabled_reason == ""
    assert team.language == "ko"


def test_members_who_are_not_managers_get_404(alice_client, team):
    assert alice_client.get(URL).status_code == 404
    assert alice_client.post("/teams/payments/test-message/").status_code == 404


def test_outsiders_get_404(outsider_client, team):
    assert outsider_client.get(URL).status_code == 404


def test_test_message_is_delivered_after_commit(
    manager_client, team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = manager_client.post("/teams/payments/test-message/")
    assert response.status_code == 302
    assert len(callbacks) == 1
    message = SlackMessage.objects.get(team=team)
    assert message.state == SlackMessage.State.SENT
    assert "test message" in slack_receiver.requests[0]["json"]["text"]
    page = manager_client.get(URL)
    assert b"Sent" in page.content


def test_test_message_without_webhook_is_refused(manager_client, team):
    response = manager_client.post("/teams/payments/test-message/", follow=True)
    assert b"Save a webhook URL first" in response.content
    assert not SlackMessage.objects.exists()
