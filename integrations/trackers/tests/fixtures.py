"""Loopback GitHub and Jira for any test (the browser journeys too): registered in the
root conftest's ``pytest_plugins``."""

import pytest

# --- Trackers --------------------------------------------------------------------------------

GITHUB_TOKEN = "github_pat_loopback"
JIRA_EMAIL, JIRA_TOKEN = "bot@acme.example", "jira-loopback-token"


@pytest.fixture
def github_server(settings):
    from integrations.trackers.tests.loopback import GitHubServer

    server = GitHubServer(GITHUB_TOKEN).start()
    settings.GITHUB_API_URL = server.origin
    settings.TRACKER_TIMEOUT_SECONDS = 2
    settings.TRACKER_RETRY_BACKOFF_SECONDS = 0
    yield server
    server.stop()


@pytest.fixture
def jira_server(settings):
    from integrations.trackers.tests.loopback import JiraServer

    server = JiraServer(JIRA_EMAIL, JIRA_TOKEN).start()
    settings.JIRA_ALLOWED_HOSTS = [server.origin]
    settings.TRACKER_TIMEOUT_SECONDS = 2
    settings.TRACKER_RETRY_BACKOFF_SECONDS = 0
    yield server
    server.stop()


@pytest.fixture
def webhooks_via(client):
    """Make a loopback tracker deliver its webhooks through the Django test client."""

    def connect(server, connection, secret):
        server.webhook_url = connection.webhook_path()
        server.webhook_secret = secret

        def send(url, raw, headers):
            extra = {
                f"HTTP_{k.upper().replace('-', '_')}": v
                for k, v in headers.items()
                if k != "Content-Type"
            }
            answer = client.post(url, data=raw, content_type="application/json", **extra)
            server.last_webhook_answer = answer
            return answer.status_code

        server.send = send
        return server

    return connect
