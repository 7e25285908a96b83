"""Opsgenie Webhook-integration deliveries shaped like Opsgenie's alert action data."""

import datetime

ALERT_ID = "052652ac-5d1c-464a-812a-7dd18bbfba8c"
CREATED_MS = int(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC).timestamp() * 1000)


def _ns(hour, minute):
    moment = datetime.datetime(2026, 11, 20, hour, minute, tzinfo=datetime.UTC)
    return int(moment.timestamp()) * 1_000_000_000


def action(name, updated_ns, *, username="alice@example.com", **alert_extra):
    alert = {
        "updatedAt": updated_ns,
        "tags": ["checkout", "prod"],
        "teams": ["payments"],
        "recipients": ["payments_schedule"],
        "message": "Payment gateway timeouts above 2%",
        "username": username,
        "alertId": ALERT_ID,
        "source": "datadog",
        "alias": "gateway-timeouts",
        "tinyId": "23",
        "createdAt": CREATED_MS,
        "userId": "daed1180-0ce8-438b-8f8e-57e1a5920a2d",
        "entity": "",
        "priority": "P2",
        **alert_extra,
    }
    return {
        "source": {"name": "", "type": "web"},
        "alert": alert,
        "action": name,
        "integrationId": "37c8f316-17c6-49d7-899b-9c7e540c048d",
        "integrationName": "Hindsight",
    }


def create():
    return action("Create", _ns(9, 0), username="System", description="p95 > 3 s")


def acknowledge():
    return action("Acknowledge", _ns(9, 4))


def add_note():
    return action("AddNote", _ns(9, 20), note="Gateway vendor confirms a regional outage.")


def close():
    return action("Close", _ns(10, 15))
