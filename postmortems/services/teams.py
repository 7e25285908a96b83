"""Team settings: the Slack webhook and its test message."""

import logging
from typing import Any

from django.db import transaction

from ..models import AuditEvent, Membership, SlackMessage, Team
from ..slack import client, publish_messages
from ..slack.outbox import slack_message_enqueue
from .audit import audit_record

logger = logging.getLogger(__name__)


def membership_set_role(*, membership: Membership, role: str, by: Any) -> Membership:
    """Make a member a manager or back; recorded in the team's audit log."""
    old = membership.role
    if old == role:
        return membership
    with transaction.atomic():
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
        audit_record(
            action=AuditEvent.Action.ROLE_CHANGED,
            actor=by,
            team=membership.team,
            target=membership,
            detail={"user": membership.user.get_username(), "from": old, "to": role},
        )
    return membership


@transaction.atomic
def team_set_slack_webhook(*, team: Team, url: str, by: Any = None) -> Team:
    """Save a new webhook URL (validated against the allow-list); re-enables a dead hook."""
    if url:
        client.check_url(url)
    old = Team.objects.filter(pk=team.pk).values_list("slack_webhook_url", flat=True).first()
    team.slack_webhook_url = url
    team.slack_webhook_disabled_reason = ""
    team.full_clean()
    team.save(update_fields=["slack_webhook_url", "slack_webhook_disabled_reason"])
    if old != url:
        # The URL is a secret: the log keeps its masked form only.
        audit_record(
            action=AuditEvent.Action.WEBHOOK_CHANGED,
            actor=by,
            team=team,
            target=team,
            detail={"from": client.mask_url(old or ""), "to": client.mask_url(url or "")},
        )
    logger.info("team %s: Slack webhook %s by %s", team.slug, "set" if url else "cleared", by)
    return team


def team_send_test_message(*, team: Team, by: Any) -> SlackMessage:
    return slack_message_enqueue(
        team=team, kind=SlackMessage.Kind.TEST, payload=publish_messages.test_message(team, by)
    )
