"""PagerDuty v3 webhooks: one event per delivery, signed with HMAC-SHA256.

``X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`` — PagerDuty sends one signature per active
secret while a secret is being rotated, so any one matching is enough.
(developer.pagerduty.com, "Verifying Signatures"; event shapes: "Webhooks Overview".)
"""

import hashlib
import hmac

from integrations import secrets
from integrations.alerts.incident import (
    IncidentUpdate,
    LogEntry,
    PayloadError,
    clip,
    optional_dict,
    optional_str,
    require,
    timestamp,
)
from integrations.models import AlertLogEntry

SOURCE_LABEL = "PagerDuty"
MAX_SIGNATURES = 10

# incident.<what> -> our entry kind; other incident events are kept as "other".
EVENT_KINDS = {
    "incident.triggered": AlertLogEntry.Kind.TRIGGER,
    "incident.acknowledged": AlertLogEntry.Kind.ACKNOWLEDGE,
    "incident.unacknowledged": AlertLogEntry.Kind.OTHER,
    "incident.resolved": AlertLogEntry.Kind.RESOLVE,
    "incident.reopened": AlertLogEntry.Kind.REOPEN,
    "incident.annotated": AlertLogEntry.Kind.NOTE,
}

EVENT_WORDS = {
    "incident.triggered": "Triggered",
    "incident.acknowledged": "Acknowledged",
    "incident.unacknowledged": "Unacknowledged (acknowledgement timed out)",
    "incident.resolved": "Resolved",
    "incident.reopened": "Reopened",
    "incident.annotated": "Note",
    "incident.escalated": "Escalated",
    "incident.reassigned": "Reassigned",
    "incident.delegated": "Delegated",
    "incident.priority_updated": "Priority changed",
    "incident.responder.added": "Responder added",
    "incident.responder.replied": "Responder replied",
    "incident.status_update_published": "Status update published",
    "incident.conference_bridge.updated": "Conference bridge changed",
}


def authenticate(request, source):
    key = secrets.decrypt(source.signing_key_encrypted)
    header = request.headers.get("X-PagerDuty-Signature", "")
    if not key or not header:
        return False
    expected = hmac.new(key.encode("utf-8"), request.body, hashlib.sha256).hexdigest()
    offered = [part.strip() for part in header.split(",")][:MAX_SIGNATURES]
    # Compare every one (no early exit), so timing says nothing about which matched.
    results = [
        hmac.compare_digest(part.removeprefix("v1="), expected)
        for part in offered
        if part.startswith("v1=")
    ]
    return any(results)


def parse(payload):
    """The delivery's incident update; None for events that are not about an incident
    (PagerDuty's ``pagey.ping`` test and service events)."""
    event = require(payload, "event", dict)
    event_type = require(event, "event_type", str, "event")
    if event_type == "pagey.ping" or not event_type.startswith("incident."):
        return None
    if optional_str(event, "resource_type", "incident") != "incident":
        return None
    event_id = require(event, "id", str, "event")
    occurred_at = timestamp(require(event, "occurred_at", str, "event"), "event.occurred_at")
    if occurred_at is None:
        raise PayloadError("field event.occurred_at is empty")
    data = require(event, "data", dict, "event")
    # incident.annotated and friends carry the incident as a reference under data.incident.
    incident = data if data.get("type") == "incident" else optional_dict(data, "incident")
    incident_id = require(incident, "id", str, "event.data")
    agent = optional_str(optional_dict(event, "agent"), "summary")
    text = _entry_text(event_type, data, agent)
    started = incident.get("created_at")
    priority = optional_str(optional_dict(incident, "priority"), "summary")
    number = incident.get("number")
    title = optional_str(incident, "title") or optional_str(incident, "summary")
    return IncidentUpdate(
        external_id=incident_id,
        title=clip(title or f"PagerDuty incident {number or incident_id}", 200),
        url=optional_str(incident, "html_url"),
        vendor_severity=priority or optional_str(incident, "urgency"),
        started_at=timestamp(started, "event.data.created_at") if started else None,
        entries=[
            LogEntry(
                key=event_id,
                kind=EVENT_KINDS.get(event_type, AlertLogEntry.Kind.OTHER),
                occurred_at=occurred_at,
                text=text,
            )
        ],
    )


def _entry_text(event_type, data, agent):
    word = EVENT_WORDS.get(event_type, event_type.removeprefix("incident.").replace("_", " "))
    if event_type == "incident.annotated":
        detail = optional_str(data, "content")
    elif event_type == "incident.priority_updated":
        detail = optional_str(optional_dict(data, "priority"), "summary")
    elif event_type == "incident.triggered":
        detail = optional_str(data, "title")
    else:
        detail = ""
    text = word
    if agent:
        text += f" by {agent}"
    if detail:
        text += f": {detail}"
    return clip(text, 2000)
