"""Team settings: the Slack webhook and its test message."""

import logging
from typing import Any

from ..models import SlackMessage, Team
from ..slack import client, publish_messages
from ..slack.outbox import slack_message_enqueue

logger = logging.getLogger(__name__)


def team_set_slack_webhook(*, team: Team, url: str, by: Any = None) -> Team:
    """Save a new webhook URL (validated against the allow-list); re-enables a dead hook."""
    if url:
        client.check_url(url)
    team.slack_webhook_url = url
    team.slack_webhook_disabled_reason = ""
    team.full_clean()
    team.save(update_fields=["slack_webhook_url", "slack_webhook_disabled_reason"])
    logger.info("team %s: Slack webhook %s by %s", team.slug, "set" if url else "cleared", by)
    return team


def team_send_test_message(*, team: Team, by: Any) -> SlackMessage:
    return slack_message_enqueue(
        team=team, kind=SlackMessage.Kind.TEST, payload=publish_messages.test_message(team, by)
    )
