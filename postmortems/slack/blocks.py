"""Block Kit pieces shared by every message we send (publish, reminders, Kaizen digest).

Slack's limits (https://api.slack.com/reference/block-kit/blocks): 50 blocks per message,
3,000 characters in a section's text, 150 in a header.
"""

from typing import Any

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150

Block = dict[str, Any]


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header(text: str) -> Block:
    """A header block (plain text, clipped to Slack's limit)."""
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": clip(text, MAX_HEADER_CHARS), "emoji": False},
    }


def section(mrkdwn_text: str) -> Block:
    """A section of mrkdwn that the caller has already escaped."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn_text}}


def context(mrkdwn_text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn_text}]}


def button(label: str, url: str) -> Block:
    """An ``actions`` block holding one link button."""
    return {
        "type": "actions",
        "elements": [{"type": "button", "text": {"type": "plain_text", "text": label}, "url": url}],
    }
