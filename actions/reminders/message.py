"""The reminder message: one per team, grouped by assignee, within Slack's limits, with a
plain-text fallback, in the team's language."""

import re
from collections import defaultdict

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from postmortems.slack.blocks import MAX_BLOCKS, MAX_SECTION_CHARS, clip, header, section
from postmortems.slack.mrkdwn import escape

from ..models import ReminderLog

Kind = ReminderLog.Kind

# Items beyond what fits in Slack's limits, or beyond MAX_LISTED_ITEMS (a message people
# still read), are summed up as "and N more" + a link.
MAX_TEXT_CHARS = 3000
MAX_LISTED_ITEMS = 100
MAX_TITLE_CHARS = 150

# How urgent each kind is: decides the order of items within a person's list.
KIND_ORDER = {Kind.OVERDUE: 0, Kind.DUE_TODAY: 1, Kind.DUE_SOON: 2, Kind.UNASSIGNED: 3}

_SLACK_MEMBER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def dashboard_url(team):
    return f"{settings.SITE_URL}/actions/?team={team.pk}&status=open"


def _who(row):
    """A Slack mention when we know the person's member id, their name otherwise."""
    member_id = (row.slack_member_id or "").strip().upper()
    if _SLACK_MEMBER_ID.match(member_id):
        return f"<@{member_id}>"
    return f"*{escape(row.person_name)}*"


def _kind_label(kind, row, today):
    if kind == Kind.OVERDUE:
        days = (today - row.due_date).days
        return "*" + ngettext("%(n)d day overdue", "%(n)d days overdue", days) % {"n": days} + "*"
    if kind == Kind.DUE_TODAY:
        return "*" + _("due today") + "*"
    if kind == Kind.DUE_SOON:
        days = (row.due_date - today).days
        return ngettext("due in %(n)d day", "due in %(n)d days", days) % {"n": days}
    return _("nobody assigned")


class _Words:
    """The translated bits of item lines, looked up once per message rather than once per
    line (a team's message has up to hundreds of lines, a sweep hundreds of messages)."""

    def __init__(self, today):
        self.today = today
        self.site_url = settings.SITE_URL
        self._due = _("due %(date)s")
        self._labels = {}

    def due(self, due_date):
        return self._due % {"date": due_date.isoformat()}

    def label(self, kind, row):
        days = abs((self.today - row.due_date).days)
        key = (kind, days if kind in (Kind.OVERDUE, Kind.DUE_SOON) else 0)
        if key not in self._labels:
            self._labels[key] = _kind_label(kind, row, self.today)
        return self._labels[key]


def _item_line(row, kinds, today, words=None):
    words = words or _Words(today)
    title = row.title if len(row.title) <= MAX_TITLE_CHARS else row.title[:MAX_TITLE_CHARS] + "…"
    parts = [
        f"<{words.site_url}/actions/{row.item_id}/|{escape(title)}>",
        row.priority,
        words.due(row.due_date),
        *(words.label(kind, row) for kind in sorted(kinds, key=KIND_ORDER.get)),
    ]
    return "• " + " · ".join(parts)


def _groups(rows, today):
    """``[(heading, lines)]``: one group per assignee (by name), unassigned last; ``lines``
    is an iterator, most urgent item first."""
    kinds_by_item = defaultdict(list)
    items = {}
    for row in rows:
        kinds_by_item[row.item_id].append(row.kind)
        items[row.item_id] = row
    people = {}
    for item_id, row in items.items():
        people.setdefault(row.assignee_id, []).append(item_id)

    def urgency(item_id):
        row = items[item_id]
        return (min(KIND_ORDER[k] for k in kinds_by_item[item_id]), row.due_date, item_id)

    def person_key(assignee_id):
        if assignee_id is None:
            return (1, "", 0)
        return (0, items[people[assignee_id][0]].person_name.casefold(), assignee_id)

    groups = []
    words = _Words(today)
    for assignee_id in sorted(people, key=person_key):
        ids = sorted(people[assignee_id], key=urgency)
        if assignee_id is None:
            heading = "*" + _("Nobody assigned yet") + "*"
        else:
            heading = _who(items[ids[0]])
        # Lines are made as the message takes them: most of a big team's are never shown.
        lines = (_item_line(items[i], kinds_by_item[i], today, words) for i in ids)
        groups.append((heading, lines))
    return groups, kinds_by_item


def hide_restricted(team, row):
    """The reminder as ``team``'s channel may see it. An item of a restricted postmortem is
    owned by the postmortem's team (``services.check_owner_team``); one owned elsewhere all
    the same (the postmortem became restricted later) is still reminded, but its title never
    reaches a channel whose members cannot open it: the line says a restricted item is due
    and links to it, for whoever may open it."""
    if not row.restricted or row.postmortem_team_id == team.pk:
        return row
    return row._replace(title=_("A restricted action item — open Hindsight to see it"))


def build_payload(team, rows, today):
    """Block Kit message plus a plain ``text`` fallback, in the team's language, within
    Slack's limits. ``rows`` are the ``Claimed`` reminders of the message."""
    with translation.override(team.language):
        return _build_payload(team, rows, today)


def _build_payload(team, rows, today):
    rows = [hide_restricted(team, row) for row in rows]
    groups, kinds_by_item = _groups(rows, today)
    total_items = len(kinds_by_item)
    per_kind = defaultdict(int)
    for kinds in kinds_by_item.values():
        for kind in kinds:
            per_kind[kind] += 1
    dashboard = dashboard_url(team)

    header_text = _("Action-item reminders for %(team)s, %(date)s") % {
        "team": team.name,
        "date": today.isoformat(),
    }
    summary_parts = []
    if per_kind[Kind.OVERDUE]:
        summary_parts.append(_("%(n)d overdue") % {"n": per_kind[Kind.OVERDUE]})
    if per_kind[Kind.DUE_TODAY]:
        summary_parts.append(_("%(n)d due today") % {"n": per_kind[Kind.DUE_TODAY]})
    if per_kind[Kind.DUE_SOON]:
        summary_parts.append(_("%(n)d due soon") % {"n": per_kind[Kind.DUE_SOON]})
    if per_kind[Kind.UNASSIGNED]:
        summary_parts.append(_("%(n)d without an assignee") % {"n": per_kind[Kind.UNASSIGNED]})
    summary = (
        ngettext(
            "%(n)d action item needs attention",
            "%(n)d action items need attention",
            total_items,
        )
        % {"n": total_items}
        + ": "
        + ", ".join(summary_parts)
        + "."
    )

    blocks = [
        header(header_text),
        section(escape(summary)),
    ]
    # One block stays free for the closing link.
    room = MAX_BLOCKS - len(blocks) - 1
    listed = 0
    listed_lines = []
    for heading, lines in groups:
        if room <= 0 or listed >= MAX_LISTED_ITEMS:
            break
        text = heading
        for line in lines:
            if listed >= MAX_LISTED_ITEMS:
                break
            line = clip(line, MAX_SECTION_CHARS - len(heading) - 1)
            if len(text) + 1 + len(line) > MAX_SECTION_CHARS:
                blocks.append(section(text))
                room -= 1
                if room <= 0:
                    text = None
                    break
                text = heading + " " + _("(continued)")
            text += "\n" + line
            listed += 1
            listed_lines.append(line)
        if text is not None:
            blocks.append(section(text))
            room -= 1
    more = total_items - listed
    if more:
        closing = (
            ngettext("…and %(n)d more item.", "…and %(n)d more items.", more) % {"n": more}
            + f" <{dashboard}|"
            + _("See all open items of %(team)s") % {"team": escape(team.name)}
            + ">"
        )
    else:
        closing = (
            f"<{dashboard}|" + _("Open %(team)s's dashboard") % {"team": escape(team.name)} + ">"
        )
    blocks.append(section(closing))

    text = _fallback_text(header_text, summary, listed_lines, total_items, dashboard)
    return {"text": text, "blocks": blocks}


def _fallback_text(header, summary, lines, total_items, dashboard):
    """Plain text for notifications and clients without Block Kit: the summary, as many item
    lines as fit, and the dashboard link."""
    head = f"{escape(header)}\n{escape(summary)}"
    tail_more = "\n" + _("…and more: %(url)s")
    budget = MAX_TEXT_CHARS - len(head) - len(tail_more) - len(dashboard)
    kept = []
    for line in lines:
        if len(line) + 1 > budget:
            break
        kept.append(line)
        budget -= len(line) + 1
    body = "\n".join([head, *kept])
    if len(kept) < total_items:
        return body + tail_more % {"url": dashboard}
    return body + "\n" + dashboard
