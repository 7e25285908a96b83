"""Fixtures for the integrations' tests: a team's alert source and a way to post to it."""

import json

import pytest

from integrations.alerts import services


@pytest.fixture
def make_source(team):
    """``make_source(kind)`` -> (source, secret) for the Payments team."""

    def make(kind, **kwargs):
        return services.alert_source_create(team=team, kind=kind, **kwargs)

    return make


@pytest.fixture
def deliver(client):
    """``deliver(source, payload, headers={...})``: POST JSON (or raw bytes) as the tool does."""

    def post(source, payload, headers=None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        return client.post(
            source.get_absolute_url(), data=body, content_type="application/json", **extra
        )

    return post


# --- Trackers --------------------------------------------------------------------------------

GITHUB_TOKEN = "github_pat_loopback"  # noqa: S105 (a loopback server's)
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
