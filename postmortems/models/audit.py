"""The audit log: security-relevant actions, who did them and to which row."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .teams import Team


class AuditEvent(models.Model):
    """One security-relevant action: who did what to which row, written in the same
    transaction as the change (``services.audit_record``). Team managers read their team's
    events; nothing secret is stored (webhook URLs are masked)."""

    class Action(models.TextChoices):
        RESTRICTED_ON = "restricted_on", _("Postmortem restricted")
        RESTRICTED_OFF = "restricted_off", _("Postmortem no longer restricted")
        VIEWER_ADDED = "viewer_added", _("Viewer added")
        VIEWER_REMOVED = "viewer_removed", _("Viewer removed")
        WEBHOOK_CHANGED = "webhook_changed", _("Slack webhook changed")
        REVIEW_RULES_CHANGED = "review_rules_changed", _("Review rules changed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        EXPORT_CSV = "export_csv", _("CSV export")
        EXPORT_MARKDOWN = "export_markdown", _("Markdown export")
        LOCKOUT = "lockout", _("Sign-in locked out")
        # Integration settings (the integrations app records them; secrets never appear).
        ALERT_SOURCE_ADDED = "alert_source_added", _("Alert source added")
        ALERT_SOURCE_SECRET_ROTATED = (
            "alert_source_secret_rotated",
            _("Alert source secret replaced"),
        )
        ALERT_SOURCE_REMOVED = "alert_source_removed", _("Alert source removed")
        SEVERITY_TABLE_CHANGED = "severity_table_changed", _("Severity table changed")
        TRACKER_CONNECTED = "tracker_connected", _("Issue tracker connected")
        TRACKER_REMOVED = "tracker_removed", _("Issue tracker removed")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    action = models.CharField(_("action"), max_length=30, choices=Action)
    target_type = models.CharField(max_length=50, blank=True, default="")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["team", "-at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def detail_text(self):
        return ", ".join(f"{key}: {value}" for key, value in sorted(self.detail.items()))
