"""What the review workflow tells a team's Slack, with the people it concerns mentioned.

A person whose profile holds a Slack member id is mentioned (``<@U012AB3CD>``), so Slack
notifies them; anyone else is named in bold. Everything a user typed goes through
``slack.escape``; only the mention syntax built here from a validated id stays live.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import slack

SLACK_MEMBER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def _name(user):
    return user.get_full_name() or user.get_username()


def mention(user):
    """``<@U…>`` when the user's Slack member id is known and well-formed, the bold name
    otherwise."""
    profile = getattr(user, "profile", None)
    member_id = (getattr(profile, "slack_member_id", "") or "").strip().upper()
    if SLACK_MEMBER_ID.match(member_id):
        return f"<@{member_id}>"
    return f"*{slack.escape(_name(user))}*"


def mentions(users):
    return ", ".join(mention(user) for user in users)


def _link(postmortem):
    return f"{settings.SITE_URL}{postmortem.get_absolute_url()}"


def _payload(postmortem, text, link_label):
    """``text`` is mrkdwn already (escaped user text plus mentions)."""
    url = _link(postmortem)
    return {
        "text": f"{text} {url}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "section", "text": {"type": "mrkdwn", "text": slack.link(url, link_label)}},
        ],
    }


def review_requested(postmortem, by, reviewers):
    """To the reviewers: a postmortem waits for them."""
    with translation.override(postmortem.team.language):
        text = _("%(reviewers)s: please review %(title)s (%(severity)s), sent by %(by)s.") % {
            "reviewers": mentions(reviewers),
            "title": f"*{slack.escape(postmortem.title)}*",
            "severity": postmortem.severity,
            "by": slack.escape(_name(by)),
        }
        return _payload(postmortem, text, _("Open the postmortem"))


def returned(postmortem, by, authors):
    """To the authors: a reviewer sent the postmortem back to draft."""
    with translation.override(postmortem.team.language):
        text = _("%(authors)s: %(by)s sent %(title)s back to draft. Comments are on the page.") % {
            "authors": mentions(authors),
            "by": slack.escape(_name(by)),
            "title": f"*{slack.escape(postmortem.title)}*",
        }
        return _payload(postmortem, text, _("Open the postmortem"))


def published_thanks(postmortem, by, authors):
    """The line added to the "published" message that tells the authors."""
    with translation.override(postmortem.team.language):
        return _("%(authors)s: published after review by %(by)s.") % {
            "authors": mentions(authors),
            "by": slack.escape(_name(by)),
        }


def slack_outcome(team):
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
