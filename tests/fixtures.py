import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone, translation

from config.celery import app
from postmortems.models import Membership

from .factories import PASSWORD, MembershipFactory, TeamFactory, UserFactory

ON_CI = os.environ.get("CI") == "true"


def service_available(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name, host, port):
    """Skip locally when a service is absent; on CI (CI=true) a missing service fails."""
    if service_available(host, port):
        return
    if ON_CI:
        pytest.fail(f"{name} at {host}:{port} is required when CI=true but is not reachable")
    pytest.skip(f"{name} at {host}:{port} is not running")


@pytest.fixture(autouse=True)
def _reset_zone_and_language(settings):
    """Requests through the test client activate the user's zone and language in this
    thread, as they do in a server; code under test after them must not inherit it."""
    yield

    timezone.deactivate()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests,
    figures cached by the previous one would describe rows that are gone."""
    cache.clear()
    yield


# --- The cast -------------------------------------------------------------------------------


@pytest.fixture
def team(db):
    return TeamFactory(name="Payments", slug="payments")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Search", slug="search")


@pytest.fixture
def alice(team):
    """A member of the Payments team."""
    user = UserFactory(username="alice", first_name="Alice", last_name="Kim")
    MembershipFactory(team=team, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def manager(team):
    """A manager of the Payments team."""
    user = UserFactory(username="mona", first_name="Mona", last_name="Park")
    MembershipFactory(team=team, user=user, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def outsider(other_team):
    """A member of another team: sees what is not restricted, nothing more."""
    user = UserFactory(username="olga", first_name="Olga", last_name="Ng")
    MembershipFactory(team=other_team, user=user)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _logged_in(client, user):
    # django-axes counts logins per request (user name and address), so it needs one.
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def alice_client(client, alice):
    return _logged_in(client, alice)


@pytest.fixture
def manager_client(client, manager):
    return _logged_in(client, manager)


@pytest.fixture
def outsider_client(client, outsider):
    return _logged_in(client, outsider)


@pytest.fixture
def login():
    """``login(client, user)`` for tests that need several people."""
    return _logged_in


# --- A loopback Slack ---------------------------------------------------------------------


class SlackReceiver:
    """A real HTTP server on 127.0.0.1 that plays Slack's incoming webhooks.

    ``responses`` is a queue of (status, body, headers) answers, used in order; when empty
    it answers 200 ``ok``. ``hang`` makes it sleep past the client's timeout.

    Each request is recorded when it arrives (``at``, ``time.monotonic()``, and the sender's
    ``client_port``): like Slack, the receiver has taken the post before it answers.
    ``answered_at`` is when the answer was written, and ``answer_lost`` says the client was
    gone by then (its process killed, or it gave up waiting).
    """

    def __init__(self):
        self.requests = []
        self.responses = []
        self.hang_seconds = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                request = {
                    "path": self.path,
                    "body": body,
                    "json": _json_or_none(body),
                    "at": time.monotonic(),
                    "client_port": self.client_address[1],
                    "answered_at": None,
                    "answer_lost": False,
                }
                with receiver._lock:
                    receiver.requests.append(request)
                    answer = receiver.responses.pop(0) if receiver.responses else (200, "ok", {})
                    hang = receiver.hang_seconds
                if hang:
                    time.sleep(hang)
                status, text, headers = answer
                data = text.encode()
                request["answered_at"] = time.monotonic()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    request["answer_lost"] = True
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path="/services/T000/B000/XXXXXXXX"):
        return self.origin + path

    def answer(self, status, body="ok", headers=None, times=1):
        for _ in range(times):
            self.responses.append((status, body, headers or {}))

    def wait_for(self, count, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.requests) >= count:
                return self.requests
            time.sleep(0.05)
        raise AssertionError(f"expected {count} Slack requests, got {len(self.requests)}")


def _json_or_none(body):
    try:
        return json.loads(body)
    except ValueError:
        return None


@pytest.fixture
def slack_receiver(settings):
    receiver = SlackReceiver()
    receiver.thread.start()
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com", receiver.origin]
    settings.SLACK_TIMEOUT_SECONDS = 2
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


# --- Celery -------------------------------------------------------------------------------


@pytest.fixture
def celery_eager(settings):
    """Run tasks inline (for tests about what a task does, not about the broker)."""
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


def _forget_pools(app):
    """Make the next publish open a connection for the current broker URL.

    Pools are only dropped, not closed: kombu keeps a registry of pools per connection,
    and a closed one would be handed out again. (``app.close()`` also deregisters the
    app, which loses its shared tasks.)
    """
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_celery_worker(transactional_db, monkeypatch):
    """A real Celery worker (in a thread of this process) on the real Redis broker.

    Uses a queue of its own, so concurrent test sessions sharing the Redis don't take
    each other's tasks.
    """
    require_service("Redis", "127.0.0.1", 6379)

    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        broker = "redis://127.0.0.1:6379/15"
        # Celery reads the environment before its configuration.
        monkeypatch.setenv("CELERY_BROKER_URL", broker)
    queue = f"hindsight-test-{os.getpid()}-{time.monotonic_ns()}"
    old = {k: app.conf[k] for k in ("broker_url", "task_default_queue", "task_always_eager")}
    app.conf.update(broker_url=broker, task_default_queue=queue, task_always_eager=False)
    _forget_pools(app)
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=4,
            perform_ping_check=False,
            loglevel="WARNING",
            queues=[queue],
            shutdown_timeout=10,
        ) as worker:
            yield worker
    finally:
        app.conf.update(old)
        _forget_pools(app)
