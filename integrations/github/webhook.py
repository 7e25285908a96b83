"""GitHub's ``issues`` webhook: ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>``
(docs.github.com, "Validating webhook deliveries"; payload: "Webhook events and payloads")."""

import hashlib
import hmac

from integrations import secrets
from integrations.alerts.incident import PayloadError, require, timestamp
from integrations.trackers.changes import UNCHANGED, RemoteChange

SOURCE = "GitHub"


def authenticate(request, connection):
    key = secrets.decrypt(connection.webhook_secret_encrypted)
    offered = request.headers.get("X-Hub-Signature-256", "")
    if not key or not offered.startswith("sha256="):
        return False
    expected = hmac.new(key.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(offered.removeprefix("sha256="), expected)


def parse(request, payload):
    """A RemoteChange, or None for deliveries that change nothing here (ping, labels…)."""
    event = request.headers.get("X-GitHub-Event", "")
    if event != "issues":
        return None
    action = require(payload, "action", str)
    issue = require(payload, "issue", dict)
    number = require(issue, "number", int, "issue")
    actor = (payload.get("sender") or {}).get("login") or "someone"
    change = RemoteChange(external_id=str(number), url=issue.get("html_url") or "")
    if action == "closed":
        change.closed = True
        closed_at = issue.get("closed_at")
        change.closed_at = timestamp(closed_at, "issue.closed_at") if closed_at else None
        change.description = f"GitHub issue #{number} closed by {actor}"
    elif action == "reopened":
        change.closed = False
        change.description = f"GitHub issue #{number} reopened by {actor}"
    elif action in ("assigned", "unassigned"):
        assignee = issue.get("assignee")
        login = assignee.get("login") if isinstance(assignee, dict) else None
        change.assignee = login or None
        who = login or "nobody"
        change.description = f"GitHub issue #{number} assigned to {who} by {actor}"
    else:
        return None
    if change.assignee is UNCHANGED and change.closed is None:
        raise PayloadError("nothing to apply")
    return change
