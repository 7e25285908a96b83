"""Grafana's webhook contact point, payloads as in Grafana's documentation."""

import pytest

from postmortems.models import Postmortem


def grafana_payload(status, ends="0001-01-01T00:00:00Z"):
    return {
        "receiver": "Hindsight",
        "status": status,
        "orgId": 1,
        "alerts": [
            {
                "status": status,
                "labels": {"alertname": "High memory usage", "team": "blue", "severity": "warning"},
                "annotations": {
                    "description": "The system has high memory usage",
                    "runbook_url": "https://myrunbook.com/runbook/1234",
                    "summary": "This alert was triggered for zone us-1",
                },
                "startsAt": "2026-11-20T09:51:03.157076+02:00",
                "endsAt": ends,
                "generatorURL": "https://grafana.example.com/alerting/1afz29v7z/edit",
                "fingerprint": "c6eadffa33fcdf37",
                "silenceURL": "https://grafana.example.com/alerting/silence/new",
                "dashboardURL": "",
                "panelURL": "",
                "values": {"B": 44.23943737541908, "C": 1},
                "valueString": "[ var='B' labels={} value=44.239 ]",
            }
        ],
        "groupLabels": {"alertname": "High memory usage"},
        "commonLabels": {"alertname": "High memory usage", "team": "blue", "severity": "warning"},
        "commonAnnotations": {},
        "externalURL": "https://grafana.example.com/",
        "version": "1",
        "groupKey": '{}:{alertname="High memory usage"}',
        "truncatedAlerts": 0,
        "title": "[FIRING:1]  (High memory usage blue)",
        "state": "alerting",
        "message": "**Firing**\n\nValue: B=44.239",
    }


@pytest.fixture
def send(make_source, deliver):
    src, secret = make_source("grafana")
    return lambda payload, token=None: deliver(
        src, payload, headers={"Authorization": f"Bearer {token or secret}"}
    )


def test_a_resolved_grafana_alert_becomes_a_draft(send):
    send(grafana_payload("firing"))
    send(grafana_payload("resolved", ends="2026-11-20T10:30:00+02:00"))
    postmortem = Postmortem.objects.get()
    assert postmortem.title == "High memory usage"
    assert postmortem.severity == "SEV3"
    assert postmortem.started_at.isoformat() == "2026-11-20T07:51:03.157076+00:00"
    assert postmortem.resolved_at.isoformat() == "2026-11-20T08:30:00+00:00"
    assert set(postmortem.timeline_events.values_list("source", flat=True)) == {"Grafana"}


def test_a_resolved_alert_without_an_end_time_is_refused(send):
    assert send(grafana_payload("resolved")).status_code == 400


def test_an_alertmanager_payload_is_not_mistaken_for_grafana(send):
    payload = grafana_payload("firing")
    payload["version"] = "4"
    assert send(payload).status_code == 400


def test_a_grafana_delivery_without_the_secret_is_refused(send):
    assert send(grafana_payload("firing"), token="x").status_code == 401
