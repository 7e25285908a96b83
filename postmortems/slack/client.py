"""Slack incoming-webhook client: one POST, no redirects, a timeout, an allow-list.

Webhook URLs are user input that makes the server send requests, so every URL is checked
against ``SLACK_WEBHOOK_ALLOWED_HOSTS`` when saved *and* again right before sending, and
redirects are never followed (a redirect could point at an internal address).

``SLACK_WEBHOOK_ALLOWED_HOSTS`` entries: a bare host (``hooks.slack.com``) allows
``https://host`` on port 443; an entry with a scheme and port (``http://127.0.0.1:8765``)
allows exactly that origin.

Slack's answers are documented at https://api.slack.com/messaging/webhooks#handling_errors.
"""

import ipaddress
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 500
MAX_RESPONSE_BYTES = 4096

OK = "ok"
RATE_LIMITED = "rate_limited"
RETRYABLE = "retryable"
DEAD = "dead"
INVALID = "invalid"

# Error strings meaning the webhook will never work again until someone replaces it.
DEAD_ERRORS = {
    "invalid_token",
    "action_prohibited",
    "channel_not_found",
    "channel_is_archived",
    "no_service",
    "no_service_id",
    "no_team",
    "team_disabled",
    "user_not_found",
}


class WebhookURLError(ValueError):
    """The URL may not be used as a webhook; the message says why, for a form error."""


@dataclass(frozen=True)
class SlackResult:
    status: str  # ok | rate_limited | retryable | dead | invalid
    http_status: int | None = None
    error: str = ""
    retry_after: int | None = None

    @property
    def ok(self):
        return self.status == OK


def _origin(scheme, host, port):
    default = {"https": 443, "http": 80}.get(scheme)
    return scheme, host.lower(), port or default


def _allowed_origins():
    origins = set()
    for entry in settings.SLACK_WEBHOOK_ALLOWED_HOSTS:
        if "://" in entry:
            parts = urlsplit(entry)
            origins.add(_origin(parts.scheme, parts.hostname or "", parts.port))
        else:
            origins.add(("https", entry.lower(), 443))
    return origins


def _is_ip_literal(host):
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_url(url: str) -> None:
    """Raise WebhookURLError unless ``url`` is an allowed webhook URL."""
    if not url:
        raise WebhookURLError(_("Enter a webhook URL."))
    if len(url) > MAX_URL_LENGTH:
        raise WebhookURLError(
            _("The URL is too long (at most %(max)d characters).") % {"max": MAX_URL_LENGTH}
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise WebhookURLError(_("The URL may not contain spaces or control characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise WebhookURLError(_("This is not a valid URL.")) from None
    host = parts.hostname or ""
    if parts.username or parts.password:
        raise WebhookURLError(_("The URL may not contain a user name or password."))
    if not host:
        raise WebhookURLError(_("This is not a valid URL."))
    origin = _origin(parts.scheme.lower(), host, port)
    allowed = _allowed_origins()
    if origin in allowed:
        return
    if parts.scheme.lower() != "https":
        raise WebhookURLError(_("Slack webhook URLs must start with https://."))
    if _is_ip_literal(host):
        raise WebhookURLError(_("Use the webhook's host name, not an IP address."))
    hosts = ", ".join(sorted(h for s, h, p in allowed if s == "https" and p == 443))
    raise WebhookURLError(
        _("Webhooks may only point at %(hosts)s.") % {"hosts": hosts or _("(no host allowed)")}
    )


def mask_url(url: str) -> str:
    """Show enough of a webhook URL to recognise it, never the secret path."""
    if not url:
        return ""
    parts = urlsplit(url)
    tail = parts.path.rstrip("/")[-4:]
    return f"{parts.scheme}://{parts.netloc}/…{tail}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx reaches post() as an HTTPError and is classified there


_opener = urllib.request.build_opener(_NoRedirect)


def _read_capped(response):
    return response.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace").strip()


def classify(
    http_status: int, body: str | None, retry_after_header: str | None = None
) -> SlackResult:
    body = (body or "").strip()
    if http_status == 200:
        return SlackResult(OK, http_status, "")
    if http_status == 429:
        try:
            retry_after = max(1, int(retry_after_header or 1))
        except ValueError:
            retry_after = 1
        return SlackResult(RATE_LIMITED, http_status, body or "rate_limited", retry_after)
    if http_status >= 500:
        return SlackResult(RETRYABLE, http_status, body or f"HTTP {http_status}")
    if http_status in (403, 404, 410) or body in DEAD_ERRORS:
        return SlackResult(DEAD, http_status, body or f"HTTP {http_status}")
    return SlackResult(INVALID, http_status, body or f"HTTP {http_status}")


def post(url: str, payload: dict[str, Any]) -> SlackResult:
    """POST ``payload`` as JSON to a Slack incoming webhook once and classify the answer."""
    try:
        check_url(url)
    except WebhookURLError as exc:
        return SlackResult(INVALID, None, f"webhook URL refused: {exc}")
    data = json.dumps(payload).encode("utf-8")
    # check_url() above allowed only http(s) origins from the allow-list.
    request = urllib.request.Request(  # noqa: S310
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with _opener.open(request, timeout=settings.SLACK_TIMEOUT_SECONDS) as response:
            return classify(response.status, _read_capped(response))
    except urllib.error.HTTPError as exc:
        with exc:
            body = _read_capped(exc)
        return classify(exc.code, body, exc.headers.get("Retry-After"))
    except TimeoutError:
        return SlackResult(RETRYABLE, None, "timed out")
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return SlackResult(RETRYABLE, None, f"connection failed: {reason}"[:300])
