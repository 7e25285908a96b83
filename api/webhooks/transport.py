"""One signed POST to a webhook endpoint (Standard Webhooks), classified for the outbox.

The URL is checked against WEBHOOK_ALLOWED_HOSTS again right before sending (it may have
been saved under an older list), redirects are never followed, the answer is read up to
a few kB, and the request has a timeout: the same care as the Slack client.
"""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from standardwebhooks.webhooks import Webhook as Signer

from postmortems import slack

OK = "ok"
RATE_LIMITED = "rate_limited"
RETRYABLE = "retryable"
GONE = "gone"
REFUSED = "refused"

MAX_RESPONSE_BYTES = 1000


@dataclass(frozen=True)
class WebhookResult:
    status: str
    http_status: int | None = None
    body: str = ""
    error: str = ""
    retry_after: int | None = None
    duration_ms: int = 0

    @property
    def ok(self):
        return self.status == OK


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx reaches send() as an HTTPError and is refused there


_opener = urllib.request.build_opener(_NoRedirect)


def signed_headers(secret, *, message_id, body, now=None):
    """The three Standard Webhooks headers for ``body`` (the exact bytes sent, as text)."""
    now = now or datetime.now(tz=UTC)
    signature = Signer(secret).sign(msg_id=message_id, timestamp=now, data=body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def classify(http_status, body, retry_after_header=None):
    if 200 <= http_status < 300:
        return WebhookResult(OK, http_status, body)
    if http_status == 429:
        try:
            retry_after = max(1, min(600, int(retry_after_header or 1)))
        except ValueError:
            retry_after = 1
        return WebhookResult(RATE_LIMITED, http_status, body, "HTTP 429", retry_after)
    if http_status >= 500:
        return WebhookResult(RETRYABLE, http_status, body, f"HTTP {http_status}")
    if http_status == 410:
        return WebhookResult(GONE, http_status, body, "HTTP 410: the endpoint asked us to stop")
    return WebhookResult(REFUSED, http_status, body, f"HTTP {http_status}")


def _read(response):
    return response.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace").strip()


def send(url, secret, *, message_id, payload):
    try:
        slack.check_url(url, allowed_hosts=settings.WEBHOOK_ALLOWED_HOSTS)
    except slack.WebhookURLError as exc:
        return WebhookResult(REFUSED, None, "", f"URL refused: {exc}")
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Hindsight-Webhooks/1",
        **signed_headers(secret, message_id=message_id, body=body),
    }
    # check_url() above allowed only http(s) origins from the allow-list.
    request = urllib.request.Request(  # noqa: S310
        url, data=body.encode("utf-8"), method="POST", headers=headers
    )
    began = time.monotonic()

    def elapsed():
        return int((time.monotonic() - began) * 1000)

    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            result = classify(response.status, _read(response))
    except urllib.error.HTTPError as exc:
        with exc:
            text = _read(exc)
        result = classify(exc.code, text, exc.headers.get("Retry-After"))
    except TimeoutError:
        result = WebhookResult(RETRYABLE, None, "", "timed out")
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        result = WebhookResult(RETRYABLE, None, "", f"connection failed: {reason}"[:300])
    return WebhookResult(
        result.status,
        result.http_status,
        result.body,
        result.error,
        result.retry_after,
        elapsed(),
    )
