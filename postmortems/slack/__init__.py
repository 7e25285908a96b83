"""Everything Slack: the webhook client, the mrkdwn escape and Block Kit pieces.

- ``client``: one POST to an allow-listed incoming webhook, classified (the contract
  ``postmortems.slack.post``).
- ``mrkdwn``: the one escape for user text in messages.
- ``blocks``: Block Kit pieces shared by the publish, reminder and Kaizen messages.
- ``publish_messages``: what the review workflow tells a team.
- ``outbox``: the durable record of every message and its delivery (imported from
  ``postmortems.services``, not here: it needs the models, which need ``client``).
"""

from .client import (
    DEAD,
    DEAD_ERRORS,
    INVALID,
    OK,
    RATE_LIMITED,
    RETRYABLE,
    SlackResult,
    WebhookURLError,
    check_url,
    classify,
    mask_url,
    post,
)
from .mrkdwn import escape, link

__all__ = [
    "DEAD",
    "DEAD_ERRORS",
    "INVALID",
    "OK",
    "RATE_LIMITED",
    "RETRYABLE",
    "SlackResult",
    "WebhookURLError",
    "check_url",
    "classify",
    "escape",
    "link",
    "mask_url",
    "post",
]
