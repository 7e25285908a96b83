"""Slack's mrkdwn text: the one escape every message we build goes through."""

import re

# "@channel", "@here" and "@everyone" typed as plain words notify a whole channel when a
# message is posted with link_names; a word joiner after the @ keeps them plain words.
_BROADCAST_WORDS = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)


def escape(text: object) -> str:
    """``text`` shown literally in Slack's mrkdwn (Block Kit ``mrkdwn`` and the ``text``
    fallback alike). Slack reads ``&``, ``<`` and ``>`` as control characters: escaped,
    ``<!channel>``, ``<@U123>`` and ``<http://evil|ok>`` arrive as the characters typed,
    never as a broadcast, a mention or a link disguised behind another label."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST_WORDS.sub("@\u2060", text)


def link(url: str, label: str) -> str:
    """``<url|label>`` with the label escaped; ``url`` is one we built (SITE_URL…)."""
    return f"<{url}|{escape(label)}>"
