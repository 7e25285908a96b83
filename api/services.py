"""Writes of the api app: personal tokens and team webhooks. Keyword-only, validated, atomic."""

import base64
import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from postmortems import permissions as postmortem_permissions
from postmortems import slack

from . import permissions, tokens
from .models import ApiToken, Webhook, WebhookAttempt, WebhookDelivery

logger = logging.getLogger(__name__)

# --- Personal API tokens ---------------------------------------------------------------------


def api_token_create(*, user, name, scope=ApiToken.Scope.WRITE, expires_at=None, days=None):
    """Create a token; returns ``(ApiToken, token)``: the only time the token is known.

    ``expires_at`` wins over ``days``; with neither, the token lasts API_TOKEN_DEFAULT_DAYS
    (``days=0`` means it never expires)."""
    if expires_at is None:
        days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
        if days:
            expires_at = timezone.now() + datetime.timedelta(days=days)
    elif expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Pick an expiry date in the future.")})
    token = tokens.generate()
    record = ApiToken(
        user=user,
        name=(name or "").strip() or _("API token"),
        prefix=token[: tokens.PREFIX_SHOWN],
        digest=tokens.digest(token),
        scope=scope,
        expires_at=expires_at,
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
    logger.info("API token %s (%s) created for %s", record.pk, record.scope, user)
    return record, token


def api_token_revoke(*, token, by):
    """Revoke a token: its owner, a manager of one of the owner's teams, or a superuser."""
    if not permissions.can_revoke_token(by, token):
        raise PermissionDenied(_("You cannot revoke this token."))
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
    token.refresh_from_db()
    logger.info("API token %s of %s revoked by %s", token.pk, token.user_id, by)
    return token


LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def api_token_touch(*, token):
    """Record that the token was used now; at most one write a minute per token."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Team webhooks -----------------------------------------------------------------------------


def _new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _check_manager(team, by):
    if not postmortem_permissions.is_team_manager(by, team.pk):
        raise PermissionDenied(_("Only the team's managers change its webhooks."))


def _clean_events(events):
    events = list(dict.fromkeys(events or ()))
    unknown = [e for e in events if e not in Webhook.Event.values]
    if unknown or not events:
        raise ValidationError({"events": _("Pick at least one of the listed events.")})
    return events


def webhook_check_url(url):
    """The Slack webhooks' SSRF rules, with the WEBHOOK_ALLOWED_HOSTS allow-list."""
    try:
        slack.check_url(url, allowed_hosts=settings.WEBHOOK_ALLOWED_HOSTS)
    except slack.WebhookURLError as exc:
        raise ValidationError({"url": str(exc)}) from None


def webhook_create(*, team, url, events, by):
    _check_manager(team, by)
    webhook_check_url(url)
    webhook = Webhook(
        team=team, url=url, events=_clean_events(events), secret=_new_secret(), created_by=by
    )
    webhook.full_clean()
    with transaction.atomic():
        webhook.save()
    logger.info("team %s: webhook %s created by %s", team.slug, webhook.pk, by)
    return webhook


def webhook_update(*, webhook, url, events, by):
    """Change the URL or events; saving re-enables a switched-off endpoint."""
    _check_manager(webhook.team, by)
    webhook_check_url(url)
    webhook.url = url
    webhook.events = _clean_events(events)
    webhook.disabled_reason = ""
    webhook.consecutive_failures = 0
    webhook.full_clean()
    with transaction.atomic():
        webhook.save()
    return webhook


def webhook_rotate_secret(*, webhook, by):
    _check_manager(webhook.team, by)
    webhook.secret = _new_secret()
    with transaction.atomic():
        webhook.save(update_fields=["secret"])
    return webhook


def webhook_delete(*, webhook, by):
    _check_manager(webhook.team, by)
    with transaction.atomic():
        webhook.delete()


def webhook_disable(*, webhook, reason):
    Webhook.objects.filter(pk=webhook.pk).update(disabled_reason=reason[:200])
    webhook.disabled_reason = reason[:200]
    logger.warning("webhook %s of team %s switched off: %s", webhook.pk, webhook.team_id, reason)


# --- The outbox ----------------------------------------------------------------------------------


def webhook_delivery_enqueue(*, webhook, event, data, postmortem_id=None):
    """Record one event for one webhook and deliver it after the transaction commits."""
    from .tasks import deliver_webhook

    message_id = f"msg_{secrets.token_hex(12)}"
    payload = {"type": event, "timestamp": timezone.now().isoformat(), "data": data}
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event=event,
        message_id=message_id,
        payload=payload,
        postmortem_id=postmortem_id,
    )
    transaction.on_commit(lambda: deliver_webhook.delay(delivery.pk))
    return delivery


def webhook_send_test_event(*, webhook, by):
    _check_manager(webhook.team, by)
    return webhook_delivery_enqueue(
        webhook=webhook,
        event="webhook.test",
        data={"team": webhook.team.slug, "sent_by": by.get_username()},
    )


def _finish(delivery, state, error=""):
    delivery.state = state
    delivery.last_error = error[:500]
    if state == WebhookDelivery.State.SENT:
        delivery.sent_at = timezone.now()
    delivery.save(update_fields=["state", "last_error", "sent_at", "attempts"])


def _record_failure(webhook):
    """One more delivery failed for good; switch the endpoint off after too many in a row."""
    Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    webhook.refresh_from_db(fields=["consecutive_failures"])
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    if webhook.consecutive_failures >= limit and not webhook.disabled_reason:
        webhook_disable(
            webhook=webhook,
            reason=_("%(count)s deliveries in a row failed")
            % {"count": webhook.consecutive_failures},
        )


def webhook_delivery_attempt(*, delivery_id, final_attempt=False):
    """Send one pending delivery once and log the attempt. Returns the ``WebhookResult``,
    or None when there was nothing to send. The row is locked while sending, so a
    redelivered task cannot send it twice."""
    from .webhooks import transport
    from .webhooks.events import may_leave_through

    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("webhook__team", "postmortem")
            .filter(pk=delivery_id, state=WebhookDelivery.State.PENDING)
            .first()
        )
        if delivery is None:
            return None
        webhook = delivery.webhook
        if webhook.disabled_reason:
            _finish(
                delivery, WebhookDelivery.State.WITHHELD, f"webhook off: {webhook.disabled_reason}"
            )
            return None
        if delivery.postmortem is not None and not may_leave_through(delivery.postmortem, webhook):
            _finish(delivery, WebhookDelivery.State.WITHHELD, "restricted postmortem")
            return None
        delivery.attempts += 1
        result = transport.send(
            webhook.url, webhook.secret, message_id=delivery.message_id, payload=delivery.payload
        )
        WebhookAttempt.objects.create(
            delivery=delivery,
            http_status=result.http_status,
            response_body=result.body[:1000],
            error=result.error[:300],
            duration_ms=result.duration_ms,
        )
        if result.ok:
            _finish(delivery, WebhookDelivery.State.SENT)
            Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=0)
        elif result.status == transport.GONE:
            # Standard Webhooks: 410 asks the sender to stop.
            webhook_disable(webhook=webhook, reason=result.error)
            _finish(delivery, WebhookDelivery.State.FAILED, result.error)
        elif result.status == transport.REFUSED or final_attempt:
            _finish(delivery, WebhookDelivery.State.FAILED, result.error)
            _record_failure(webhook)
        else:
            delivery.last_error = result.error[:500]
            delivery.save(update_fields=["attempts", "last_error"])
        return result
