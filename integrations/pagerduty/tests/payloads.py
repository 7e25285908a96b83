"""PagerDuty v3 webhook deliveries shaped like the examples in PagerDuty's documentation."""

import hashlib
import hmac
import json

INCIDENT_ID = "PGR0VU2"


def incident(status="triggered", priority="P1", created_at="2026-11-20T14:00:00Z"):
    return {
        "id": INCIDENT_ID,
        "type": "incident",
        "self": f"https://api.pagerduty.com/incidents/{INCIDENT_ID}",
        "html_url": f"https://acme.pagerduty.com/incidents/{INCIDENT_ID}",
        "number": 2,
        "status": status,
        "incident_key": "d3640fbd41094207a1c11e58e46b1662",
        "created_at": created_at,
        "title": "Checkout API error rate above 5%",
        "service": {
            "html_url": "https://acme.pagerduty.com/services/PF9KMXH",
            "id": "PF9KMXH",
            "self": "https://api.pagerduty.com/services/PF9KMXH",
            "summary": "checkout-api",
            "type": "service_reference",
        },
        "assignees": [
            {
                "html_url": "https://acme.pagerduty.com/users/PTUXL6G",
                "id": "PTUXL6G",
                "self": "https://api.pagerduty.com/users/PTUXL6G",
                "summary": "Alice Kim",
                "type": "user_reference",
            }
        ],
        "escalation_policy": {
            "id": "PUS0KTE",
            "summary": "Payments on-call",
            "type": "escalation_policy_reference",
        },
        "teams": [],
        "priority": {"id": "PSO75BM", "summary": priority, "type": "priority_reference"}
        if priority
        else None,
        "urgency": "high",
        "conference_bridge": None,
        "resolve_reason": None,
    }


def event(event_type, occurred_at, event_id, *, agent="Alice Kim", data=None, **incident_kw):
    status = {
        "incident.triggered": "triggered",
        "incident.acknowledged": "acknowledged",
        "incident.resolved": "resolved",
    }.get(event_type, "triggered")
    return {
        "event": {
            "id": event_id,
            "event_type": event_type,
            "resource_type": "incident",
            "occurred_at": occurred_at,
            "agent": {
                "html_url": "https://acme.pagerduty.com/users/PTUXL6G",
                "id": "PTUXL6G",
                "self": "https://api.pagerduty.com/users/PTUXL6G",
                "summary": agent,
                "type": "user_reference",
            }
            if agent
            else None,
            "client": None,
            "data": data or incident(status=status, **incident_kw),
        }
    }


def triggered(**kw):
    return event("incident.triggered", "2026-11-20T14:00:00.000Z", "01DEN1", agent=None, **kw)


def acknowledged(**kw):
    return event("incident.acknowledged", "2026-11-20T14:06:30.000Z", "01DEN2", **kw)


def resolved(**kw):
    return event("incident.resolved", "2026-11-20T15:10:00.000Z", "01DEN3", **kw)


def annotated(content="Rolled back the 14:02 deploy."):
    return event(
        "incident.annotated",
        "2026-11-20T14:30:00.000Z",
        "01DEN4",
        data={
            "incident": {
                "html_url": f"https://acme.pagerduty.com/incidents/{INCIDENT_ID}",
                "id": INCIDENT_ID,
                "self": f"https://api.pagerduty.com/incidents/{INCIDENT_ID}",
                "summary": "Checkout API error rate above 5%",
                "type": "incident_reference",
            },
            "id": "P7A2DMN",
            "content": content,
            "trimmed": False,
            "type": "incident_note",
        },
    )


def ping():
    return {
        "event": {
            "id": "01PING",
            "event_type": "pagey.ping",
            "resource_type": "pagey",
            "occurred_at": "2026-11-20T13:00:00Z",
            "agent": None,
            "client": None,
            "data": {"message": "Hello from your friend Pagey!", "type": "ping"},
        }
    }


def body(payload):
    return json.dumps(payload).encode()


def signature(secret, raw):
    return "v1=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
