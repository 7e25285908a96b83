from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from postmortems.models import Postmortem, Team


class ApiToken(models.Model):
    """A personal API token. Only a keyed hash of it is stored (see ``api.tokens``); the
    token itself is shown once, when it is created."""

    class Scope(models.TextChoices):
        # GET only (and the blame check, which writes nothing).
        READ = "read", _("Read")
        # Everything the owner may do on the web.
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, to recognise it in lists ("hs_1a2B3c…").
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope, default=Scope.WRITE)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def is_active(self):
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class Webhook(models.Model):
    """A team's outgoing webhook: the events it wants, signed per Standard Webhooks."""

    class Event(models.TextChoices):
        POSTMORTEM_CREATED = "postmortem.created", _("Postmortem created")
        POSTMORTEM_STATUS_CHANGED = "postmortem.status_changed", _("Postmortem status changed")
        POSTMORTEM_PUBLISHED = "postmortem.published", _("Postmortem published")
        ACTION_ITEM_CREATED = "action_item.created", _("Action item created")
        ACTION_ITEM_STATUS_CHANGED = "action_item.status_changed", _("Action item status changed")
        ACTION_ITEM_OVERDUE = "action_item.overdue", _("Action item overdue")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    # "whsec_" + base64 of 32 random bytes, as the standardwebhooks libraries expect.
    secret = models.CharField(max_length=100)
    events = models.JSONField(_("events"), default=list)
    # Set when the endpoint was switched off after repeated failures (or answered 410).
    disabled_reason = models.CharField(max_length=200, blank=True, default="")
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return f"{self.team}: {self.url}"

    @property
    def masked_url(self):
        from postmortems.slack import mask_url

        return mask_url(self.url)


class WebhookDelivery(models.Model):
    """Outbox row of one event for one webhook, written in the transaction of the change;
    a Celery task delivers it. ``message_id`` is the ``webhook-id`` header: the same on
    every retry, so receivers can drop duplicates."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Not sent: the postmortem became restricted to another team, or the hook was off.
        WITHHELD = "withheld", _("Withheld")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    # The postmortem the event is about, checked again right before sending.
    postmortem = models.ForeignKey(
        Postmortem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"])]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event} to {self.webhook_id} ({self.state})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: the delivery log."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    attempted_at = models.DateTimeField(auto_now_add=True)
    http_status = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=1000, blank=True, default="")
    error = models.CharField(max_length=300, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self):
        return f"attempt of {self.delivery_id}: {self.http_status or self.error}"
