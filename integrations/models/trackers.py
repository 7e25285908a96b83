"""Issue trackers (GitHub Issues, Jira Cloud): a team's connection, the ticket an action item
is linked to, and the outbox of calls to the tracker."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actions.models import ActionItem
from postmortems.models import Team


class TrackerConnection(models.Model):
    class Kind(models.TextChoices):
        GITHUB = "github", "GitHub Issues"
        JIRA = "jira", "Jira Cloud"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tracker_connections")
    kind = models.CharField(_("tracker"), max_length=10, choices=Kind)
    # GitHub: "owner/repo". Jira: the project key ("OPS").
    project = models.CharField(_("repository or project"), max_length=200)
    # Jira only: https://<site>.atlassian.net (must be on JIRA_ALLOWED_HOSTS) and the
    # account e-mail the API token belongs to.
    site_url = models.URLField(_("Jira site"), max_length=300, blank=True, default="")
    account_email = models.EmailField(_("Jira account e-mail"), blank=True, default="")
    # Encrypted (integrations.secrets); empty: the token comes from the environment
    # (GITHUB_TOKEN, JIRA_API_TOKEN). Never rendered, never logged.
    token_encrypted = models.TextField(blank=True, default="")
    # The tracker signs its webhooks with this (HMAC), so it is kept, encrypted.
    webhook_secret_encrypted = models.TextField(blank=True, default="")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "kind", "id"]
        verbose_name = _("tracker connection")
        verbose_name_plural = _("tracker connections")

    def __str__(self):
        return f"{self.get_kind_display()} {self.project}"

    def webhook_path(self):
        return reverse("integrations:tracker_webhook", args=[self.public_id])


class TrackerLink(models.Model):
    """The ticket an action item is followed in."""

    item = models.OneToOneField(ActionItem, on_delete=models.CASCADE, related_name="tracker_link")
    connection = models.ForeignKey(
        TrackerConnection, on_delete=models.CASCADE, related_name="links"
    )
    # GitHub: the issue number. Jira: the issue key. Empty while the create call is pending.
    external_id = models.CharField(max_length=100, blank=True, default="")
    url = models.URLField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "external_id"],
                condition=~models.Q(external_id=""),
                name="trackerlink_unique_ticket",
            )
        ]
        verbose_name = _("tracker link")
        verbose_name_plural = _("tracker links")

    def __str__(self):
        return f"{self.connection}#{self.external_id or '…'} ↔ item {self.item_id}"


class TrackerMessage(models.Model):
    """One call to the tracker, written with the change that causes it and sent after
    commit by a task with retries; failures stay visible on the item's page."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create issue")
        UPDATE = "update", _("Update issue")
        COMMENT = "comment", _("Comment")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    link = models.ForeignKey(TrackerLink, on_delete=models.CASCADE, related_name="messages")
    action = models.CharField(max_length=10, choices=Action)
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tracker message")
        verbose_name_plural = _("tracker messages")

    def __str__(self):
        return f"{self.action} for {self.link} ({self.state})"
