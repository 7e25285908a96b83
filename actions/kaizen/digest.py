"""The weekly Kaizen digest in each team's Slack: its top recurring themes."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from postmortems.models import SlackMessage, Team
from postmortems.services import slack_message_enqueue
from postmortems.slack import blocks
from postmortems.slack.mrkdwn import escape

from .periods import WEEK, as_date, periods_between
from .trends import trends

DIGEST_WEEKS = 4
DIGEST_THEMES = 3


def digest_payload(team, team_trends, period_end):
    """Block Kit + text digest for one team: its top recurring themes, by name and counts
    only. It never names a postmortem, so nothing restricted can leak through Slack."""
    link = f"{settings.SITE_URL}/kaizen/?team={team.pk}"
    with translation.override(team.language or settings.LANGUAGE_CODE):
        title = _("Kaizen digest for %(team)s, week ending %(date)s") % {
            "team": team.name,
            "date": period_end.isoformat(),
        }
        lines = []
        for t in team_trends[:DIGEST_THEMES]:
            incidents = ngettext("%(count)d incident", "%(count)d incidents", t.total) % {
                "count": t.total
            }
            lines.append(
                _(
                    "• *%(theme)s*: %(incidents)s in %(periods)d of the last %(weeks)d weeks, "
                    "%(open)d open actions"
                )
                % {
                    # Theme names are user text, escaped like in every other message.
                    "theme": escape(t.name),
                    "incidents": incidents,
                    "periods": t.periods_with_incidents,
                    "weeks": len(t.counts),
                    "open": t.open_actions,
                }
            )
        if not lines:
            lines.append(
                _("No recurring themes in the last %(weeks)d weeks.") % {"weeks": DIGEST_WEEKS}
            )
        more = _("Open the Kaizen review")
    body = "\n".join(lines)
    return {
        "text": f"{escape(title)}\n{body}\n{link}",
        "blocks": [blocks.header(title), blocks.section(body), blocks.button(more, link)],
    }


def send_digests(period_end):
    """Queue one digest per team with a Slack webhook. Returns the SlackMessages."""
    end = as_date(period_end)
    periods = periods_between(end - WEEK * (DIGEST_WEEKS - 1), end)
    messages = []
    teams = Team.objects.exclude(slack_webhook_url="")
    for team in teams:
        payload = digest_payload(team, trends(periods, team=team), end)
        messages.append(
            slack_message_enqueue(team=team, kind=SlackMessage.Kind.DIGEST, payload=payload)
        )
    return messages
