"""Alertmanager webhook deliveries (payload version 4), as in Prometheus' documentation."""

GROUP_KEY = '{}/{severity="critical"}:{alertname="CheckoutHighLatency"}'


def alert(status, starts="2026-11-20T08:00:00Z", ends="0001-01-01T00:00:00Z", instance="a"):
    return {
        "status": status,
        "labels": {
            "alertname": "CheckoutHighLatency",
            "instance": f"checkout-{instance}:9100",
            "severity": "critical",
        },
        "annotations": {"summary": "Checkout p99 latency above 2 s"},
        "startsAt": starts,
        "endsAt": ends,
        "generatorURL": "http://prometheus.internal:9090/graph?g0.expr=...",
        "fingerprint": f"c6eadffa33fcdf3{instance}",
    }


def group(status, alerts, version="4"):
    return {
        "version": version,
        "groupKey": GROUP_KEY,
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "hindsight",
        "groupLabels": {"alertname": "CheckoutHighLatency"},
        "commonLabels": {"alertname": "CheckoutHighLatency", "severity": "critical"},
        "commonAnnotations": {"summary": "Checkout p99 latency above 2 s"},
        "externalURL": "http://alertmanager.internal:9093",
        "alerts": alerts,
    }


def firing():
    return group("firing", [alert("firing"), alert("firing", "2026-11-20T08:03:00Z", instance="b")])


def partly_resolved():
    return group(
        "firing",
        [
            alert("resolved", ends="2026-11-20T08:20:00Z"),
            alert("firing", "2026-11-20T08:03:00Z", instance="b"),
        ],
    )


def resolved():
    return group(
        "resolved",
        [
            alert("resolved", ends="2026-11-20T08:20:00Z"),
            alert("resolved", "2026-11-20T08:03:00Z", "2026-11-20T08:41:00Z", instance="b"),
        ],
    )
