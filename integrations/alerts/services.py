"""Writes for alert sources: creating endpoints, applying deliveries, recording refusals."""

import logging
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integrations import secrets
from integrations.alerts.incident import no_nul
from integrations.models import (
    AlertIncident,
    AlertLogEntry,
    AlertSource,
    RejectedDelivery,
    SeverityRule,
)
from postmortems.models import AuditEvent, Severity, TimelineEvent
from postmortems.services import audit_record, postmortem_sync_from_incident

logger = logging.getLogger(__name__)

# Used when the team's table has no rule for a value (compared lower-case).
DEFAULT_SEVERITIES = {
    "p1": Severity.SEV1,
    "sev1": Severity.SEV1,
    "critical": Severity.SEV1,
    "p2": Severity.SEV2,
    "sev2": Severity.SEV2,
    "high": Severity.SEV2,
    "error": Severity.SEV2,
    "p3": Severity.SEV3,
    "sev3": Severity.SEV3,
    "warning": Severity.SEV3,
    "medium": Severity.SEV3,
    "moderate": Severity.SEV3,
    "p4": Severity.SEV4,
    "p5": Severity.SEV4,
    "sev4": Severity.SEV4,
    "low": Severity.SEV4,
    "info": Severity.SEV4,
}
FALLBACK_SEVERITY = Severity.SEV3

TIMELINE_KINDS = {
    AlertLogEntry.Kind.TRIGGER: TimelineEvent.Kind.DETECTION,
    AlertLogEntry.Kind.ACKNOWLEDGE: TimelineEvent.Kind.KEY_MOMENT,
    AlertLogEntry.Kind.RESOLVE: TimelineEvent.Kind.REPAIR,
    AlertLogEntry.Kind.REOPEN: TimelineEvent.Kind.KEY_MOMENT,
    AlertLogEntry.Kind.NOTE: TimelineEvent.Kind.NOTE,
    AlertLogEntry.Kind.OTHER: TimelineEvent.Kind.COMMUNICATION,
}
STATUS_OF_ENTRY = {
    AlertLogEntry.Kind.TRIGGER: AlertIncident.Status.TRIGGERED,
    AlertLogEntry.Kind.REOPEN: AlertIncident.Status.TRIGGERED,
    AlertLogEntry.Kind.ACKNOWLEDGE: AlertIncident.Status.ACKNOWLEDGED,
    AlertLogEntry.Kind.RESOLVE: AlertIncident.Status.RESOLVED,
}


# --- Sources -------------------------------------------------------------------------------


def _set_secret(source, secret):
    source.secret_digest = secrets.digest(secret)
    # Only PagerDuty needs the secret itself (the HMAC key); the others keep a digest.
    source.signing_key_encrypted = (
        secrets.encrypt(secret) if source.kind == AlertSource.Kind.PAGERDUTY else ""
    )


def _source_detail(source):
    # What identifies the endpoint in the audit log; never its secret.
    return {"kind": source.kind, "name": source.label}


def alert_source_create(*, team, kind, by=None, name="", secret=""):
    """A new endpoint and its secret (returned once, never stored in clear). ``secret``:
    one the tool generated (PagerDuty makes its own signing secrets), else a new one."""
    secret = secret.strip() or secrets.generate()
    source = AlertSource(team=team, kind=kind, name=name.strip(), created_by=by)
    _set_secret(source, secret)
    source.full_clean()
    with transaction.atomic():
        source.save()
        audit_record(
            action=AuditEvent.Action.ALERT_SOURCE_ADDED,
            actor=by,
            team=team,
            target=source,
            detail=_source_detail(source),
        )
    logger.info("team %s: %s alert source %s added by %s", team.slug, kind, source.pk, by)
    return source, secret


def alert_source_rotate_secret(*, source, by=None, secret=""):
    """A new secret for ``source``; the audit log says that it changed, never what to."""
    given = bool(secret.strip())
    secret = secret.strip() or secrets.generate()
    _set_secret(source, secret)
    with transaction.atomic():
        source.save(update_fields=["secret_digest", "signing_key_encrypted"])
        audit_record(
            action=AuditEvent.Action.ALERT_SOURCE_SECRET_ROTATED,
            actor=by,
            team=source.team,
            target=source,
            detail={**_source_detail(source), "generated": not given},
        )
    logger.info("alert source %s: secret replaced by %s", source.pk, by)
    return secret


def alert_source_delete(*, source, by=None):
    logger.info("alert source %s (%s) deleted by %s", source.pk, source.kind, by)
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.ALERT_SOURCE_REMOVED,
            actor=by,
            team=source.team,
            target=source,
            detail=_source_detail(source),
        )
        source.delete()


def severity_rules_save(*, team, rules, by=None):
    """Replace the team's table with ``rules`` ({their value: SEVn}); what changed goes to
    the team's audit log."""
    built = []
    for value, severity in rules.items():
        rule = SeverityRule(team=team, value=value.strip().lower(), severity=severity)
        rule.full_clean(exclude=["team"], validate_unique=False)
        built.append(rule)
    new = {rule.value: rule.severity for rule in built}
    with transaction.atomic():
        old = dict(
            SeverityRule.objects.select_for_update()
            .filter(team=team)
            .values_list("value", "severity")
        )
        SeverityRule.objects.filter(team=team).delete()
        SeverityRule.objects.bulk_create(built)
        changes = _table_changes(old, new)
        if changes:
            audit_record(
                action=AuditEvent.Action.SEVERITY_TABLE_CHANGED,
                actor=by,
                team=team,
                target=team,
                detail=changes,
            )


def _table_changes(old, new):
    changes = {}
    added = {value: new[value] for value in sorted(new.keys() - old.keys())}
    changed = {
        value: f"{old[value]} → {new[value]}"
        for value in sorted(new.keys() & old.keys())
        if old[value] != new[value]
    }
    removed = sorted(old.keys() - new.keys())
    if added:
        changes["added"] = added
    if changed:
        changes["changed"] = changed
    if removed:
        changes["removed"] = removed
    return changes


def severity_for(team, vendor_value, rules=None):
    value = (vendor_value or "").strip().lower()
    if rules is None:
        rules = dict(SeverityRule.objects.filter(team=team).values_list("value", "severity"))
    return rules.get(value) or DEFAULT_SEVERITIES.get(value) or FALLBACK_SEVERITY


# --- Refusals ------------------------------------------------------------------------------


def delivery_reject(*, team, source=None, tracker=None, status_code, reason, excerpt=""):
    """Record a refused delivery (to an alert ``source`` or a ``tracker``'s webhook); the
    team keeps the last ``RejectedDelivery.KEEP``."""
    origin = source or tracker
    with transaction.atomic():
        RejectedDelivery.objects.create(
            team=team,
            source=source,
            tracker=tracker,
            kind=origin.kind if origin else "",
            status_code=status_code,
            reason=no_nul(reason)[:500],
            excerpt=no_nul(excerpt)[:500],
        )
        stale = RejectedDelivery.objects.filter(team=team).values_list("pk", flat=True)[
            RejectedDelivery.KEEP :
        ]
        RejectedDelivery.objects.filter(pk__in=list(stale)).delete()
    logger.warning("team %s: delivery refused (%s): %s", team.slug, status_code, reason)


# --- Deliveries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyResult:
    incident: AlertIncident
    new_entries: int
    postmortem_created: bool

    @property
    def duplicate(self):
        return self.new_entries == 0


@dataclass(frozen=True)
class _TimelineLine:
    occurred_at: object
    kind: str
    text: str
    source: str


def _link(url):
    """The tool's link when it is a URL Hindsight can show; internal names such as
    ``http://alertmanager:9093`` are not (and must not refuse the delivery)."""
    url = (url or "")[:500]
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def _locked_incident(source, update):
    found = (
        AlertIncident.objects.select_for_update()
        .filter(source=source, external_id=update.external_id)
        .first()
    )
    if found:
        return found
    try:
        with transaction.atomic():
            return AlertIncident.objects.create(
                source=source,
                external_id=update.external_id,
                title=update.title,
                url=_link(update.url),
                vendor_severity=update.vendor_severity[:50],
            )
    except IntegrityError:
        # The same incident's first delivery arrived twice at once; the other one won.
        return AlertIncident.objects.select_for_update().get(
            source=source, external_id=update.external_id
        )


def _without_nul(update):
    """The update with NUL characters removed from every text (PostgreSQL refuses them)."""
    return replace(
        update,
        external_id=no_nul(update.external_id),
        title=no_nul(update.title),
        url=no_nul(update.url),
        vendor_severity=no_nul(update.vendor_severity),
        entries=[
            replace(entry, key=no_nul(entry.key), text=no_nul(entry.text))
            for entry in update.entries
        ],
    )


def _earliest(*values):
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _apply_status(incident, update, new_entries):
    """Status follows the newest lifecycle event by the tool's clock, not by arrival."""
    if update.status is not None:
        candidates = [update.status]
    else:
        candidates = [
            (STATUS_OF_ENTRY[e.kind], e.occurred_at)
            for e in new_entries
            if e.kind in STATUS_OF_ENTRY
        ]
    for status, at in sorted(candidates, key=lambda pair: pair[1]):
        if incident.status_at is None or at >= incident.status_at:
            incident.status, incident.status_at = status, at
    if incident.status == AlertIncident.Status.RESOLVED:
        incident.resolved_at = incident.status_at


def _fitting(incident, pending):
    """The entries that fit on the timeline (TIMELINE_PASTE_MAX_LINES at once,
    TIMELINE_MAX_EVENTS in all), oldest first. The others stay on the incident, uncopied: a
    storm of alerts must not make every later delivery fail."""
    existing = incident.postmortem.timeline_events.count() if incident.postmortem_id else 0
    room = min(settings.TIMELINE_PASTE_MAX_LINES, settings.TIMELINE_MAX_EVENTS - existing)
    return sorted(pending, key=lambda e: (e.occurred_at, e.pk))[: max(room, 0)]


def _postmortem_fields(incident, team, rules):
    started = _earliest(incident.triggered_at, incident.acknowledged_at, incident.resolved_at)
    return {
        "title": incident.title,
        "severity": severity_for(team, incident.vendor_severity, rules),
        "started_at": started,
        "detected_at": incident.acknowledged_at,
        "resolved_at": incident.resolved_at,
    }


def _summary(incident, label, team):
    with translation.override(team.language):
        if incident.url.startswith(("https://", "http://")):
            return _("Opened from %(tool)s: [%(title)s](%(url)s).") % {
                "tool": label,
                "title": incident.title.replace("[", "(").replace("]", ")"),
                "url": incident.url.replace(")", "%29"),
            }
        return _("Opened from %(tool)s.") % {"tool": label}


def incident_apply(*, source, update, label):
    """Apply one delivery: record its new log entries, move the incident's status and times,
    and once it is resolved create (or bring up to date) its draft postmortem — all in one
    transaction, so a failure leaves nothing half-written. Redeliveries change nothing."""
    team = source.team
    update = _without_nul(update)
    with transaction.atomic():
        incident = _locked_incident(source, update)
        rules = dict(SeverityRule.objects.filter(team=team).values_list("value", "severity"))
        previous = _postmortem_fields(incident, team, rules)
        known = set(incident.entries.values_list("key", flat=True))
        fresh = {}
        for entry in update.entries:
            if entry.key not in known and entry.key not in fresh:
                fresh[entry.key] = entry
        new_entries = list(fresh.values())
        AlertLogEntry.objects.bulk_create(
            AlertLogEntry(
                incident=incident,
                key=e.key[:255],
                kind=e.kind,
                occurred_at=e.occurred_at,
                text=e.text,
            )
            for e in new_entries
        )
        triggers = [e.occurred_at for e in new_entries if e.kind == AlertLogEntry.Kind.TRIGGER]
        acks = [e.occurred_at for e in new_entries if e.kind == AlertLogEntry.Kind.ACKNOWLEDGE]
        incident.triggered_at = _earliest(incident.triggered_at, update.started_at, *triggers)
        incident.acknowledged_at = _earliest(incident.acknowledged_at, *acks)
        _apply_status(incident, update, new_entries)
        if update.title:
            incident.title = update.title
        if update.vendor_severity:
            incident.vendor_severity = update.vendor_severity[:50]
        if _link(update.url):
            incident.url = _link(update.url)
        incident.full_clean(exclude=["source", "postmortem"], validate_unique=False)
        incident.save()

        created = False
        resolved = incident.status == AlertIncident.Status.RESOLVED
        if incident.postmortem_id or resolved:
            pending = _fitting(incident, list(incident.entries.filter(copied=False)))
            lines = [
                _TimelineLine(e.occurred_at, TIMELINE_KINDS[e.kind], e.text, label) for e in pending
            ]
            fields = _postmortem_fields(incident, team, rules)
            if incident.postmortem_id is None:
                fields["summary"] = _summary(incident, label, team)
                created = True
            postmortem = postmortem_sync_from_incident(
                team=team,
                fields=fields,
                previous=previous,
                postmortem=incident.postmortem,
                events=lines,
            )
            if created:
                incident.postmortem = postmortem
                incident.save(update_fields=["postmortem"])
            AlertLogEntry.objects.filter(pk__in=[e.pk for e in pending]).update(copied=True)
        AlertSource.objects.filter(pk=source.pk).update(last_delivery_at=timezone.now())
    return ApplyResult(incident, len(new_entries), created)
