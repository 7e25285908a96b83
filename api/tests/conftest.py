"""API test fixtures: tokens, clients that send them, and a loopback webhook receiver."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.test import APIClient

from api import services
from api.models import ApiToken


@pytest.fixture
def token_for(db):
    def make(user, scope=ApiToken.Scope.WRITE, **kwargs):
        _record, token = services.api_token_create(user=user, name="test", scope=scope, **kwargs)
        return token

    return make


@pytest.fixture
def api(token_for):
    """``api(user, scope="write")``: a client that sends that user's new token."""

    def make(user=None, scope=ApiToken.Scope.WRITE):
        client = APIClient(HTTP_HOST="127.0.0.1")
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope)}")
        return client

    return make


class WebhookReceiver:
    """A real HTTP server on 127.0.0.1 standing in for a customer's webhook endpoint.

    It keeps every request's headers and raw body; ``answer()`` queues responses (default
    200)."""

    def __init__(self):
        self.requests = []
        self.responses = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                        }
                    )
                    status = receiver.responses.pop(0) if receiver.responses else 200
                data = b"thanks" if status < 300 else b"not now"
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path="/hooks/hindsight"):
        return self.origin + path

    def answer(self, status, times=1):
        self.responses.extend([status] * times)

    def events(self):
        return [json.loads(r["body"]) for r in self.requests]

    def wait_for(self, count, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.requests) < count:
            time.sleep(0.05)
        return self.requests


@pytest.fixture
def webhook_receiver(settings):
    receiver = WebhookReceiver()
    receiver.thread.start()
    settings.WEBHOOK_ALLOWED_HOSTS = [receiver.origin]
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
