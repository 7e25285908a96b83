"""Jira Cloud admin webhooks (``jira:issue_updated``) registered with a secret:
``X-Hub-Signature: sha256=<HMAC-SHA256 of the body>`` (developer.atlassian.com, "Webhooks",
"Secure admin webhooks"). The changelog says what changed."""

import datetime
import hashlib
import hmac

from integrations import secrets
from integrations.alerts.incident import PayloadError, epoch, require
from integrations.trackers.changes import RemoteChange

SOURCE = "Jira"
DONE = "done"


def authenticate(request, connection):
    key = secrets.decrypt(connection.webhook_secret_encrypted)
    offered = request.headers.get("X-Hub-Signature", "")
    if not key or not offered.startswith("sha256="):
        return False
    expected = hmac.new(key.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(offered.removeprefix("sha256="), expected)


def parse(request, payload):
    event = require(payload, "webhookEvent", str)
    if event != "jira:issue_updated":
        return None
    issue = require(payload, "issue", dict)
    key = require(issue, "key", str, "issue")
    fields = issue.get("fields") if isinstance(issue.get("fields"), dict) else {}
    changelog = payload.get("changelog") if isinstance(payload.get("changelog"), dict) else {}
    items = [i for i in changelog.get("items") or () if isinstance(i, dict)]
    actor = (payload.get("user") or {}).get("displayName") or "someone"
    when = payload.get("timestamp")
    at = epoch(when, "timestamp", 1e-3) if when else datetime.datetime.now(datetime.UTC)
    change = RemoteChange(external_id=key)
    said = []
    for item in items:
        if item.get("field") == "status":
            category = ((fields.get("status") or {}).get("statusCategory") or {}).get("key")
            change.closed = category == DONE
            if change.closed:
                change.closed_at = at
            said.append(f"status {item.get('fromString')} → {item.get('toString')}")
        elif item.get("field") == "assignee":
            assignee = fields.get("assignee") if isinstance(fields.get("assignee"), dict) else None
            change.assignee = (
                (assignee.get("emailAddress") or assignee.get("displayName")) if assignee else None
            )
            said.append(f"assignee → {item.get('toString') or 'nobody'}")
    if not said:
        if items:
            return None
        raise PayloadError("no changelog in the delivery")
    change.description = f"Jira {key}: {', '.join(said)} by {actor}"
    return change
