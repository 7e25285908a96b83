"""What the review workflow tells the people it concerns, mentioned by name.

A person whose profile holds a Slack member id is mentioned (``<@U012AB3CD>``), so Slack
notifies them; anyone else is named in bold. Everything a user typed goes through
``escape``; only the mention syntax built here from a validated id stays live.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Postmortem, Team
from . import blocks
from .mrkdwn import escape, link
from .publish_messages import Payload, postmortem_link

SLACK_MEMBER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def mention(user: Any) -> str:
    """``<@U…>`` when the user's Slack member id is known and well-formed, the bold name
    otherwise."""
    profile = getattr(user, "profile", None)
    member_id = (getattr(profile, "slack_member_id", "") or "").strip().upper()
    if SLACK_MEMBER_ID.match(member_id):
        return f"<@{member_id}>"
    return f"*{escape(_name(user))}*"


def mentions(users: Iterable[Any]) -> str:
    return ", ".join(mention(user) for user in users)


def _payload(postmortem: Postmortem, text: str, link_label: str) -> Payload:
    """``text`` is mrkdwn already (escaped user text plus mentions)."""
    url = postmortem_link(postmortem)
    return {
        "text": f"{text} {url}",
        "blocks": [blocks.section(text), blocks.section(link(url, link_label))],
    }


def review_requested(postmortem: Postmortem, by: Any, reviewers: Iterable[Any]) -> Payload:
    """To the reviewers: a postmortem waits for them."""
    with translation.override(postmortem.team.language):
        text = _("%(reviewers)s: please review %(title)s (%(severity)s), sent by %(by)s.") % {
            "reviewers": mentions(reviewers),
            "title": f"*{escape(postmortem.title)}*",
            "severity": postmortem.severity,
            "by": escape(_name(by)),
        }
        return _payload(postmortem, text, _("Open the postmortem"))


def returned(postmortem: Postmortem, by: Any, authors: Iterable[Any]) -> Payload:
    """To the authors: a reviewer sent the postmortem back to draft."""
    with translation.override(postmortem.team.language):
        text = _("%(authors)s: %(by)s sent %(title)s back to draft. Comments are on the page.") % {
            "authors": mentions(authors),
            "by": escape(_name(by)),
            "title": f"*{escape(postmortem.title)}*",
        }
        return _payload(postmortem, text, _("Open the postmortem"))


def published_thanks(postmortem: Postmortem, by: Any, authors: Iterable[Any]) -> str:
    """The line added to the "published" message that tells the authors."""
    with translation.override(postmortem.team.language):
        return str(
            _("%(authors)s: published after review by %(by)s.")
            % {"authors": mentions(authors), "by": escape(_name(by))}
        )


def slack_outcome(team: Team) -> str:
    """What happens on Slack for ``team``, said exactly, for the message after a step."""
    if not team.slack_webhook_url:
        return _("No Slack webhook is set for %(team)s, so nobody was told on Slack.") % {
            "team": team.name
        }
    if team.slack_webhook_disabled_reason:
        return _(
            "Slack delivery for %(team)s is stopped (%(reason)s), so nobody was told on Slack."
        ) % {"team": team.name, "reason": team.slack_webhook_disabled_reason}
    return _("A message to the Slack channel of %(team)s is on its way.") % {"team": team.name}
