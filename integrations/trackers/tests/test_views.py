from integrations.models import TrackerConnection

URL = "/teams/payments/integrations/"


def test_a_manager_connects_github_and_sees_the_webhook_secret_once(manager_client, settings):
    answer = manager_client.post(
        URL + "trackers/", {"kind": "github", "project": "acme/payments", "token": "tok-123"}
    )
    assert answer.status_code == 200
    connection = TrackerConnection.objects.get()
    page = answer.content.decode()
    assert connection.webhook_path() in page
    assert "tok-123" not in page
    assert "tok-123" not in connection.token_encrypted
    secret = answer.context["new_tracker"][2]
    assert secret not in manager_client.get(URL).content.decode()


def test_a_repository_must_be_owner_slash_name(manager_client):
    answer = manager_client.post(URL + "trackers/", {"kind": "github", "project": "payments"})
    assert answer.status_code == 400
    assert not TrackerConnection.objects.exists()


def test_members_who_are_not_managers_cannot_connect_trackers(alice_client):
    answer = alice_client.post(URL + "trackers/", {"kind": "github", "project": "a/b"})
    assert answer.status_code == 404
