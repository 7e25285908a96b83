"""Alert sources (PagerDuty, Opsgenie, Alertmanager, Grafana) and what they sent."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from postmortems.models import Postmortem, Severity, Team


class AlertSource(models.Model):
    """One endpoint of one team for one alerting tool, with its own secret."""

    class Kind(models.TextChoices):
        PAGERDUTY = "pagerduty", "PagerDuty"
        OPSGENIE = "opsgenie", "Opsgenie"
        ALERTMANAGER = "alertmanager", "Prometheus Alertmanager"
        GRAFANA = "grafana", "Grafana"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="alert_sources")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    # In the URL; identifies the endpoint, proves nothing (the secret does).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Bearer secrets are only compared: SHA-256 of the secret.
    secret_digest = models.CharField(max_length=64, blank=True, default="")
    # PagerDuty signs with the secret as HMAC key, so it is kept, encrypted (integrations.secrets).
    signing_key_encrypted = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["team", "kind", "id"]
        verbose_name = _("alert source")
        verbose_name_plural = _("alert sources")

    def __str__(self):
        return f"{self.get_kind_display()} → {self.team}"

    def get_absolute_url(self):
        return reverse("integrations:alert_receive", args=[self.public_id])

    @property
    def label(self):
        return self.name or self.get_kind_display()


class SeverityRule(models.Model):
    """A team's mapping of a tool's severity or priority ("P1", "critical") to ours."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="severity_rules")
    # Compared case-insensitively; stored lower-case.
    value = models.CharField(_("their severity"), max_length=50)
    severity = models.CharField(_("our severity"), max_length=4, choices=Severity)

    class Meta:
        ordering = ["team", "value"]
        constraints = [
            models.UniqueConstraint(fields=["team", "value"], name="severityrule_unique_team_value")
        ]
        verbose_name = _("severity rule")
        verbose_name_plural = _("severity rules")

    def __str__(self):
        return f"{self.value} → {self.severity}"


class AlertIncident(models.Model):
    """A vendor's incident (PagerDuty incident, Opsgenie alert, Alertmanager group), one per
    (source, vendor id): redeliveries and later events update it, never duplicate it."""

    class Status(models.TextChoices):
        TRIGGERED = "triggered", _("Triggered")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="incidents")
    external_id = models.CharField(max_length=255)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True, default="")
    vendor_severity = models.CharField(max_length=50, blank=True, default="")
    status = models.CharField(max_length=20, choices=Status, default=Status.TRIGGERED)
    # When the status above happened: an event older than this does not change the status
    # (deliveries may arrive out of order).
    status_at = models.DateTimeField(null=True, blank=True)
    triggered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    postmortem = models.ForeignKey(
        Postmortem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="alertincident_unique_source_external_id"
            )
        ]
        verbose_name = _("alert incident")
        verbose_name_plural = _("alert incidents")

    def __str__(self):
        return f"{self.source.get_kind_display()} {self.external_id}: {self.title}"


class AlertLogEntry(models.Model):
    """One event of an incident as the tool reported it; its key makes redeliveries no-ops."""

    class Kind(models.TextChoices):
        TRIGGER = "trigger", _("Triggered")
        ACKNOWLEDGE = "acknowledge", _("Acknowledged")
        RESOLVE = "resolve", _("Resolved")
        REOPEN = "reopen", _("Reopened")
        NOTE = "note", _("Note")
        OTHER = "other", _("Other")

    incident = models.ForeignKey(AlertIncident, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=Kind)
    occurred_at = models.DateTimeField()
    text = models.TextField()
    # Set once the entry is on the postmortem's timeline.
    copied = models.BooleanField(default=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "key"], name="alertlogentry_unique_key")
        ]
        verbose_name = _("alert log entry")
        verbose_name_plural = _("alert log entries")

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.kind}"


class RejectedDelivery(models.Model):
    """A delivery that was refused, with the reason, for the team's integration page: from
    an alert source or from an issue tracker's webhook (one list, the last 100 a team)."""

    KEEP = 100

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rejected_deliveries")
    source = models.ForeignKey(
        AlertSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="rejections"
    )
    tracker = models.ForeignKey(
        "integrations.TrackerConnection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rejections",
    )
    kind = models.CharField(max_length=20, blank=True, default="")
    status_code = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=500)
    # The start of the body, only for authenticated deliveries (never a stranger's bytes).
    excerpt = models.CharField(max_length=500, blank=True, default="")
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("rejected delivery")
        verbose_name_plural = _("rejected deliveries")

    def __str__(self):
        return f"{self.status_code} {self.reason}"

    @property
    def origin(self):
        """Who the delivery was for: the source or tracker, or its kind once removed."""
        if self.source_id:
            return self.source.label
        if self.tracker_id:
            return str(self.tracker)
        from .trackers import TrackerConnection

        names = dict(AlertSource.Kind.choices) | dict(TrackerConnection.Kind.choices)
        return names.get(self.kind, self.kind)
