"""Slack's mrkdwn text: the one escape every message we build goes through."""


def escape(text: str) -> str:
    """Make ``text`` literal in mrkdwn: Slack treats ``&``, ``<`` and ``>`` as control
    characters (links, mentions), so user text must never carry them raw."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """``<url|label>`` with the label escaped."""
    return f"<{url}|{escape(label)}>"
