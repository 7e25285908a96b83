"""Prometheus Alertmanager's webhook receiver, payload version 4.

One delivery describes one alert group (``groupKey``): its ``status`` is ``resolved`` only
when every alert in it is. Alertmanager repeats a firing group every ``repeat_interval``;
each alert's (fingerprint, startsAt, status) makes the entry key, so repeats are no-ops.
Authentication: ``http_config.authorization`` (``Authorization: Bearer <secret>``).
(prometheus.io, "Configuration" → ``<webhook_config>``.)
"""

from integrations.alerts.bearer import authenticate  # noqa: F401  (the receiver's interface)
from integrations.alerts.incident import (
    IncidentUpdate,
    LogEntry,
    PayloadError,
    clip,
    digest_key,
    external_id,
    optional_dict,
    optional_str,
    require,
    timestamp,
)
from integrations.models import AlertIncident, AlertLogEntry

SOURCE_LABEL = "Alertmanager"
VERSION = "4"
MAX_ALERTS = 1000


def parse(payload, *, version=VERSION, label=SOURCE_LABEL):
    got = require(payload, "version", str)
    if got != version:
        raise PayloadError(f"unsupported payload version {got[:10]!r} (expected {version!r})")
    group_key = require(payload, "groupKey", str)
    status = require(payload, "status", str)
    if status not in ("firing", "resolved"):
        raise PayloadError(f"unknown status {status[:20]!r}")
    alerts = require(payload, "alerts", list)
    if not alerts:
        raise PayloadError("no alerts in the delivery")
    if len(alerts) > MAX_ALERTS:
        raise PayloadError(f"more than {MAX_ALERTS} alerts in one delivery")
    common_labels = optional_dict(payload, "commonLabels")
    common_annotations = optional_dict(payload, "commonAnnotations")
    entries, starts, ends = [], [], []
    for number, alert in enumerate(alerts):
        where = f"alerts[{number}]"
        if not isinstance(alert, dict):
            raise PayloadError(f"{where} is not an object")
        alert_status = require(alert, "status", str, where)
        starts_at = timestamp(require(alert, "startsAt", str, where), f"{where}.startsAt")
        if starts_at is None:
            raise PayloadError(f"field {where}.startsAt is empty")
        ends_at = timestamp(alert.get("endsAt") or "0001-01-01T00:00:00Z", f"{where}.endsAt")
        labels = optional_dict(alert, "labels")
        annotations = optional_dict(alert, "annotations")
        name = optional_str(labels, "alertname") or label
        summary = optional_str(annotations, "summary") or optional_str(annotations, "description")
        identity = optional_str(alert, "fingerprint") or digest_key(labels)
        starts.append(starts_at)
        entries.append(
            LogEntry(
                key=digest_key(identity, starts_at.isoformat(), "firing"),
                kind=AlertLogEntry.Kind.TRIGGER,
                occurred_at=starts_at,
                text=clip(f"Firing: {name}" + (f" — {summary}" if summary else ""), 2000),
            )
        )
        if alert_status == "resolved":
            if ends_at is None:
                raise PayloadError(f"field {where}.endsAt is empty on a resolved alert")
            ends.append(ends_at)
            entries.append(
                LogEntry(
                    key=digest_key(identity, starts_at.isoformat(), "resolved"),
                    kind=AlertLogEntry.Kind.RESOLVE,
                    occurred_at=ends_at,
                    text=clip(f"Resolved: {name}", 2000),
                )
            )
    if status == "resolved":
        if not ends:
            raise PayloadError("a resolved group without resolved alerts")
        group_status = (AlertIncident.Status.RESOLVED, max(ends))
    else:
        group_status = (AlertIncident.Status.TRIGGERED, max(starts))
    title = (
        optional_str(common_annotations, "summary")
        or optional_str(common_labels, "alertname")
        or optional_str(payload, "title")
        or f"{label} alert group"
    )
    return IncidentUpdate(
        external_id=external_id(group_key),
        title=clip(title, 200),
        url=optional_str(payload, "externalURL"),
        vendor_severity=optional_str(common_labels, "severity")
        or optional_str(optional_dict(alerts[0], "labels"), "severity"),
        started_at=min(starts),
        entries=entries,
        status=group_status,
    )
