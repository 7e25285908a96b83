"""Opsgenie's Webhook integration: one alert action per delivery.

Opsgenie has no signature; the integration adds a custom header, ``Authorization: Bearer
<secret>``. ``alert.createdAt`` is in milliseconds and ``alert.updatedAt`` in nanoseconds
(docs.opsgenie.com, "Webhook Integration" and its alert action data).
"""

from integrations.alerts.bearer import authenticate  # noqa: F401  (the receiver's interface)
from integrations.alerts.incident import (
    IncidentUpdate,
    LogEntry,
    PayloadError,
    clip,
    digest_key,
    epoch,
    optional_str,
    require,
)
from integrations.models import AlertLogEntry

SOURCE_LABEL = "Opsgenie"
MILLISECONDS = 1e-3
NANOSECONDS = 1e-9

ACTION_KINDS = {
    "Create": AlertLogEntry.Kind.TRIGGER,
    "Acknowledge": AlertLogEntry.Kind.ACKNOWLEDGE,
    "Close": AlertLogEntry.Kind.RESOLVE,
    "AddNote": AlertLogEntry.Kind.NOTE,
}
ACTION_WORDS = {
    "Create": "Alert created",
    "Acknowledge": "Acknowledged",
    "UnAcknowledge": "Acknowledgement taken back",
    "Close": "Closed",
    "AddNote": "Note",
    "Escalate": "Escalated",
    "AssignOwnership": "Owner assigned",
    "TakeOwnership": "Ownership taken",
    "AddResponder": "Responder added",
    "AddTeam": "Team added",
    "Snooze": "Snoozed",
    "UpdatePriority": "Priority changed",
}
# Actions that say nothing about the incident's course.
IGNORED_ACTIONS = {"AddTags", "RemoveTags", "AddDetails", "RemoveDetails", "Delete", "CustomAction"}


def parse(payload):
    action = require(payload, "action", str)
    if action in IGNORED_ACTIONS:
        return None
    alert = require(payload, "alert", dict)
    alert_id = require(alert, "alertId", str, "alert")
    created_at = epoch(require(alert, "createdAt", int, "alert"), "alert.createdAt", MILLISECONDS)
    if action == "Create":
        occurred_at = created_at
    else:
        updated = require(alert, "updatedAt", int, "alert")
        occurred_at = epoch(updated, "alert.updatedAt", NANOSECONDS)
    if action not in ACTION_WORDS:
        raise PayloadError(f"unknown action {action[:40]!r}")
    user = optional_str(alert, "username")
    text = ACTION_WORDS[action]
    if user and action != "Create":
        text += f" by {user}"
    detail = optional_str(alert, "note") if action == "AddNote" else ""
    if action == "Create":
        detail = optional_str(alert, "message")
    elif action == "UpdatePriority":
        detail = optional_str(alert, "priority")
    if detail:
        text += f": {detail}"
    message = optional_str(alert, "message")
    return IncidentUpdate(
        external_id=alert_id,
        title=clip(message or f"Opsgenie alert {optional_str(alert, 'tinyId') or alert_id}", 200),
        vendor_severity=optional_str(alert, "priority"),
        started_at=created_at,
        entries=[
            LogEntry(
                # Opsgenie gives actions no id: the action and its time make one.
                key=digest_key(action, occurred_at.isoformat(), text),
                kind=ACTION_KINDS.get(action, AlertLogEntry.Kind.OTHER),
                occurred_at=occurred_at,
                text=clip(text, 2000),
            )
        ],
    )
