"""The Slack outbox row (delivery lives in ``postmortems.slack.outbox``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..bounds import NulFreeTextMixin
from .teams import Team


class SlackMessage(NulFreeTextMixin, models.Model):
    """Outbox of Slack messages: written in the same transaction as the change that causes
    it, then delivered by a Celery task, so a failing webhook never loses a message."""

    class Kind(models.TextChoices):
        TEST = "test", _("Test message")
        PUBLISHED = "published", _("Postmortem published")
        REVIEW = "review", _("Review requested")
        RETURNED = "returned", _("Returned to the authors")
        REMINDERS = "reminders", _("Action-item reminders")
        DIGEST = "digest", _("Kaizen digest")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED_NO_WEBHOOK = "skipped_no_webhook", _("Not sent: no webhook")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="slack_messages")
    kind = models.CharField(max_length=20, choices=Kind)
    payload = models.JSONField()
    state = models.CharField(max_length=20, choices=State, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker posts the message (a lease of SLACK_SEND_LEASE_SECONDS): another
    # task handed the same message leaves it alone; once the lease has expired (the worker
    # died mid-post) the message is dispatched again.
    sending_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-created_at"])]
        verbose_name = _("Slack message")
        verbose_name_plural = _("Slack messages")

    def __str__(self):
        return f"{self.get_kind_display()} to {self.team} ({self.state})"
