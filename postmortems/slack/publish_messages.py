"""What the review workflow tells a team's Slack: review requested, published, a test."""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Postmortem
from . import blocks
from .mrkdwn import escape, link

Payload = dict[str, Any]


def postmortem_link(postmortem: Postmortem) -> str:
    return f"{settings.SITE_URL}{postmortem.get_absolute_url()}"


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def review_requested(postmortem: Postmortem, by: Any) -> Payload:
    reviewers = ", ".join(_name(u) for u in postmortem.reviewers.all())
    with translation.override(postmortem.team.language):
        text = _("Review requested: %(title)s (%(severity)s) by %(by)s.") % {
            "title": postmortem.title,
            "severity": postmortem.severity,
            "by": _name(by),
        }
        if reviewers:
            text += " " + _("Reviewers: %(names)s.") % {"names": reviewers}
        link_label = _("Open the draft")
    url = postmortem_link(postmortem)
    return {
        "text": f"{escape(text)} {url}",
        "blocks": [blocks.section(escape(text)), blocks.section(link(url, link_label))],
    }


def first_lines(text: str, *, lines: int = 3, limit: int = 300) -> str:
    kept = [line.strip() for line in text.splitlines() if line.strip()][:lines]
    joined = "\n".join(kept)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def published(postmortem: Postmortem, action_count: int) -> Payload:
    url = postmortem_link(postmortem)
    with translation.override(postmortem.team.language):
        headline = _("Postmortem published: %(title)s") % {"title": postmortem.title}
        facts = _("%(severity)s · team %(team)s · %(count)s action items") % {
            "severity": postmortem.severity,
            "team": postmortem.team.name,
            "count": action_count,
        }
        link_label = _("Read the postmortem")
    summary = first_lines(postmortem.summary)
    message = [blocks.header(headline), blocks.context(escape(facts))]
    if summary:
        message.append(blocks.section(escape(summary)))
    message.append(blocks.section(link(url, link_label)))
    # The fallback is mrkdwn too (notifications, clients without Block Kit).
    head = f"{escape(headline)} ({escape(facts)})"
    text = f"{head}\n{escape(summary)}\n{url}" if summary else f"{head} {url}"
    return {"text": text, "blocks": message}


def test_message(team: Any, by: Any) -> Payload:
    with translation.override(team.language):
        text = _("Hindsight: test message for team %(team)s, sent by %(by)s.") % {
            "team": escape(team.name),
            "by": escape(by.get_username()),
        }
    return {"text": text}
