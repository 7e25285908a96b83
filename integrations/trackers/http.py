"""HTTP to issue trackers: JSON in and out, a timeout, no redirects, allow-listed origins.

A Jira site is typed by a team manager, so like a Slack webhook it is user input that makes
the server send requests: it must be on ``JIRA_ALLOWED_HOSTS`` when saved *and* when used.
``GITHUB_API_URL`` is the operator's setting and always allowed. Entries: a bare host means
``https://host:443``; ``http://127.0.0.1:8765`` allows exactly that origin.
"""

import ipaddress
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_RESPONSE_BYTES = 256 * 1024

OK = "ok"
RETRYABLE = "retryable"
FAILED = "failed"


class TrackerURLError(ValueError):
    """The URL may not be used; the message says why (for a form error)."""


@dataclass(frozen=True)
class Response:
    status: str  # ok | retryable | failed
    http_status: int | None = None
    data: object = None
    error: str = ""
    retry_after: int | None = None

    @property
    def ok(self):
        return self.status == OK


def _origin(scheme, host, port):
    return scheme, host.lower(), port or {"https": 443, "http": 80}.get(scheme)


def _origins(entries):
    origins = set()
    for entry in entries:
        if "://" in entry:
            parts = urlsplit(entry)
            origins.add(_origin(parts.scheme, parts.hostname or "", parts.port))
        else:
            origins.add(("https", entry.lower(), 443))
    return origins


def allowed_origins():
    return _origins([settings.GITHUB_API_URL, *settings.JIRA_ALLOWED_HOSTS])


def _is_ip_literal(host):
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_url(url, origins=None):
    """Raise TrackerURLError unless ``url``'s origin is allowed."""
    if not url or len(url) > 500 or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise TrackerURLError(_("This is not a valid URL."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TrackerURLError(_("This is not a valid URL.")) from None
    if parts.username or parts.password:
        raise TrackerURLError(_("The URL may not contain a user name or password."))
    if not parts.hostname:
        raise TrackerURLError(_("This is not a valid URL."))
    origins = allowed_origins() if origins is None else origins
    if _origin(parts.scheme.lower(), parts.hostname, port) in origins:
        return
    if _is_ip_literal(parts.hostname):
        raise TrackerURLError(_("Use the site's host name, not an IP address."))
    hosts = ", ".join(sorted(h for s, h, p in origins if s == "https" and p == 443))
    raise TrackerURLError(
        _("Trackers may only be reached at %(hosts)s (JIRA_ALLOWED_HOSTS).")
        % {"hosts": hosts or _("(no host allowed)")}
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _classify(http_status, raw, retry_after=None):
    text = raw.decode("utf-8", "replace")
    try:
        data = json.loads(text) if text.strip() else None
    except ValueError:
        data = None
    if 200 <= http_status < 300:
        return Response(OK, http_status, data)
    error = f"HTTP {http_status}: {text.strip()[:300]}"
    if http_status == 429 or http_status >= 500:
        try:
            seconds = max(1, int(retry_after)) if retry_after else None
        except ValueError:
            seconds = None
        return Response(RETRYABLE, http_status, data, error, seconds)
    return Response(FAILED, http_status, data, error)


def request(method, url, *, headers, body=None):
    """One request; the answer classified. Headers (with the token) are never logged."""
    try:
        check_url(url)
    except TrackerURLError as exc:
        return Response(FAILED, None, None, f"URL refused: {exc}")
    data = json.dumps(body).encode() if body is not None else None
    all_headers = {"Accept": "application/json", **headers}
    if data is not None:
        all_headers["Content-Type"] = "application/json"
    # check_url() above allowed only http(s) origins from the allow-list.
    req = urllib.request.Request(url, data=data, method=method, headers=all_headers)  # noqa: S310
    try:
        with _opener.open(req, timeout=settings.TRACKER_TIMEOUT_SECONDS) as answer:
            return _classify(answer.status, answer.read(MAX_RESPONSE_BYTES))
    except urllib.error.HTTPError as exc:
        with exc:
            raw = exc.read(MAX_RESPONSE_BYTES)
        return _classify(exc.code, raw, exc.headers.get("Retry-After"))
    except TimeoutError:
        return Response(RETRYABLE, None, None, "timed out")
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Response(RETRYABLE, None, None, f"connection failed: {reason}"[:300])
