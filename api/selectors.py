"""Reads of the api app: tokens and webhooks, scoped to who may see them."""

from django.db.models import Prefetch

from postmortems.permissions import is_team_manager, managed_team_ids
from postmortems.selectors import team_for_settings

from .models import ApiToken, Webhook, WebhookAttempt
from .permissions import can_revoke_token


def tokens_of(user):
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def team_member_tokens(team):
    """Tokens of the team's members (they act on the team's postmortems), newest first."""
    return list(
        ApiToken.objects.filter(user__memberships__team=team)
        .select_related("user")
        .distinct()
        .order_by("-created_at", "-id")
    )


def token_for_revoke(user, pk):
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None or not can_revoke_token(user, token):
        return None
    return token


def managed_team(user, slug):
    """The team whose webhooks ``user`` may manage, or None (the same rule as its settings)."""
    return team_for_settings(user, slug)


def team_webhooks(team):
    return list(Webhook.objects.filter(team=team).order_by("id"))


def webhook_for_manager(user, team, pk):
    if not is_team_manager(user, team.pk):
        return None
    return Webhook.objects.filter(team=team, pk=pk).select_related("team").first()


def webhook_deliveries(webhook, limit=25):
    """The delivery log: recent deliveries, each with its attempts."""
    return list(
        webhook.deliveries.prefetch_related(
            Prefetch("tries", queryset=WebhookAttempt.objects.order_by("attempted_at", "id"))
        ).order_by("-created_at", "-id")[:limit]
    )


def disabled_webhooks(user):
    """Switched-off webhooks of the teams ``user`` manages (every team for superusers)."""
    hooks = Webhook.objects.exclude(disabled_reason="").select_related("team")
    if not user.is_superuser:
        hooks = hooks.filter(team_id__in=managed_team_ids(user))
    return list(hooks.order_by("team__name", "id"))
