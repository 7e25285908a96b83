"""Follow-up reminders: which open action items to remind about today, and one Slack
message per team that lists them.

Schedule (``today`` is the local date in ``settings.TIME_ZONE``; only open, in-progress and
blocked items are reminded — done and won't-do never):

``due_today``
    The item is due today. Once, on that day.
``due_soon``
    Due in 1 to ``REMINDER_DUE_SOON_DAYS`` (default 3) days. Once per due date: on the first
    sweep day inside that window (so an item created two days before its due date is
    reminded the day it is created).
``overdue``
    On the first day overdue, then once a week while still open: days overdue 1, 8, 15, …
    (``days_overdue % 7 == 1``). An item that is already several days overdue when first
    seen (a back-dated due date) waits for its next weekly day, so turning reminders on
    does not remind of every old item at once.
``unassigned``
    Open with no assignee two days after creation, then once a week while still
    unassigned: days since creation 2, 9, 16, … (``(age - 2) % 7 == 0``).

Failed reminders are retried the next day: a reminder that *failed* (Slack refused it, the
webhook is gone or disabled, five tries without an answer) does not count, and the next
day's sweep claims a new (item, kind, next day) row —
``overdue`` and ``unassigned`` when yesterday's reminder of that kind failed (day after
day, until one gets through or the next weekly day comes), ``due_soon`` on any later day
of its window while no reminder in the window got through. ``due_today`` is not retried: the
next day is ``overdue`` day 1. Reminders recorded without a webhook (``skipped_no_webhook``)
count as done: the item page lists them; they are not re-recorded daily.

Exactly once: each reminder is a ``ReminderLog(item, kind, for_date)`` row, unique in the
database. Per team, inside one transaction, the sweep creates the team's ``SlackMessage``
(the outbox row), inserts its claims with ``ON CONFLICT DO NOTHING`` marked with that
message, and re-selects the rows carrying the message: only those are listed. A second
sweep, or one running at the same time in another worker, finds the rows taken (on
PostgreSQL it waits for the first transaction, then skips them) and sends nothing for them.
The message is delivered by ``postmortems.tasks.deliver_slack_message`` after commit, and
``actions.signals`` copies its final state onto the reminder rows. A reminder message still
pending an hour later lost its delivery task (the broker was down when it was queued): the
next sweep queues it again, for up to a day. A team whose sweep fails (an error is logged)
claims nothing and does not stop the other teams; the next hourly sweep tries it again.
"""

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from postmortems import slack
from postmortems.models import SlackMessage, Team
from postmortems.services import slack_message_enqueue

from .models import ActionItem, ReminderLog

logger = logging.getLogger(__name__)

Kind = ReminderLog.Kind
State = ReminderLog.State

OVERDUE_EVERY_DAYS = 7
UNASSIGNED_AFTER_DAYS = 2
UNASSIGNED_EVERY_DAYS = 7

# Slack's limits (https://api.slack.com/reference/block-kit/blocks): 50 blocks per message,
# 3,000 characters in a section's text, 150 in a header. Items beyond what fits, or beyond
# MAX_LISTED_ITEMS (a message people still read), are summed up as "and N more" + a link.
MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_TEXT_CHARS = 3000
MAX_LISTED_ITEMS = 100
MAX_TITLE_CHARS = 150

# A reminder message still pending after this long lost its delivery task (e.g. the broker
# was down when it was queued): the sweep queues it again. Longer than any retry schedule.
# After STALE_GIVE_UP it is too late to remind; it stays pending, visible on the team page.
STALE_AFTER = timedelta(hours=1)
STALE_GIVE_UP = timedelta(days=1)

CLAIM_BATCH_SIZE = 500
ITEM_CHUNK_SIZE = 2000

# How urgent each kind is: decides the order of items within a person's list.
KIND_ORDER = {Kind.OVERDUE: 0, Kind.DUE_TODAY: 1, Kind.DUE_SOON: 2, Kind.UNASSIGNED: 3}

_SLACK_MEMBER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


class Claimed(NamedTuple):
    """One reminder this sweep won, with what its message line needs."""

    item_id: int
    kind: str
    title: str
    priority: str
    due_date: date
    assignee_id: int | None
    username: str | None
    first_name: str | None
    last_name: str | None
    slack_member_id: str | None
    restricted: bool
    postmortem_team_id: int

    @property
    def person_name(self):
        full = f"{self.first_name or ''} {self.last_name or ''}".strip()
        return full or self.username or ""


CLAIMED_FIELDS = (
    "item_id",
    "kind",
    "item__title",
    "item__priority",
    "item__due_date",
    "item__assignee_id",
    "item__assignee__username",
    "item__assignee__first_name",
    "item__assignee__last_name",
    "item__assignee__profile__slack_member_id",
    "item__postmortem__restricted",
    "item__postmortem__team_id",
)


# --- Report -------------------------------------------------------------------------------


@dataclass
class KindCounts:
    claimed: int = 0  # reminders this sweep took and put into a message
    already_reminded: int = 0  # due today, but an earlier or concurrent sweep holds the claim
    sent: int = 0
    skipped_no_webhook: int = 0
    failed: int = 0
    pending: int = 0  # still queued for the worker when the sweep ended


@dataclass
class SweepReport:
    today: date
    teams: int = 0  # teams that had anything to remind about
    items_considered: int = 0
    messages_queued: int = 0
    messages_sent: int = 0
    messages_skipped: int = 0  # no webhook configured: recorded, not sent
    messages_failed: int = 0
    messages_pending: int = 0
    messages_requeued: int = 0  # earlier messages whose delivery was queued again
    kinds: dict = field(default_factory=lambda: {k.value: KindCounts() for k in Kind})
    message_ids: list = field(default_factory=list)
    teams_failed: list = field(default_factory=list)  # slugs; see the log for the error

    @property
    def reminders_claimed(self):
        return sum(c.claimed for c in self.kinds.values())

    @property
    def reminders_already_reminded(self):
        return sum(c.already_reminded for c in self.kinds.values())

    def as_dict(self):
        return {
            "today": self.today.isoformat(),
            "teams": self.teams,
            "items_considered": self.items_considered,
            "messages_queued": self.messages_queued,
            "messages_sent": self.messages_sent,
            "messages_skipped": self.messages_skipped,
            "messages_failed": self.messages_failed,
            "messages_pending": self.messages_pending,
            "messages_requeued": self.messages_requeued,
            "kinds": {kind: vars(counts) for kind, counts in self.kinds.items()},
            "teams_failed": self.teams_failed,
        }


# --- Schedule -----------------------------------------------------------------------------


def kinds_due(*, today, due_date, created_on, has_assignee, history=None, soon_days=None):
    """The reminder kinds one open item is due for on ``today``.

    ``history`` maps a kind to the item's recent ``(for_date, state)`` reminders of that
    kind (the last ``REMINDER_DUE_SOON_DAYS`` days are enough). Reminders for ``today`` are
    not looked at: whether today's is already claimed is the unique claim's business.
    """
    soon_days = settings.REMINDER_DUE_SOON_DAYS if soon_days is None else soon_days
    history = history or {}
    yesterday = today - timedelta(days=1)

    def failed_yesterday(kind):
        return any(d == yesterday and st == State.FAILED for d, st in history.get(kind, ()))

    def got_through_since(kind, start):
        return any(start <= d < today and st != State.FAILED for d, st in history.get(kind, ()))

    kinds = []
    days_left = (due_date - today).days
    if days_left == 0:
        kinds.append(Kind.DUE_TODAY)
    elif 1 <= days_left <= soon_days:
        if not got_through_since(Kind.DUE_SOON, due_date - timedelta(days=soon_days)):
            kinds.append(Kind.DUE_SOON)
    elif days_left < 0:
        days_overdue = -days_left
        if days_overdue % OVERDUE_EVERY_DAYS == 1 or failed_yesterday(Kind.OVERDUE):
            kinds.append(Kind.OVERDUE)
    age = (today - created_on).days
    if not has_assignee and age >= UNASSIGNED_AFTER_DAYS:
        weekly_day = (age - UNASSIGNED_AFTER_DAYS) % UNASSIGNED_EVERY_DAYS == 0
        if weekly_day or failed_yesterday(Kind.UNASSIGNED):
            kinds.append(Kind.UNASSIGNED)
    return kinds


def _lookback_days(soon_days):
    return max(1, soon_days)


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def candidate_items(today, soon_days=None):
    """Open items that may need a reminder today (the schedule then decides)."""
    soon_days = settings.REMINDER_DUE_SOON_DAYS if soon_days is None else soon_days
    created_before = _start_of_day(today - timedelta(days=UNASSIGNED_AFTER_DAYS - 1))
    return ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES).filter(
        Q(due_date__lte=today + timedelta(days=soon_days))
        | Q(assignee__isnull=True, created_at__lt=created_before)
    )


# --- Sweep --------------------------------------------------------------------------------


def sweep(today=None):
    """Claim today's reminders and queue one Slack message per team. Safe to run again and
    concurrently: every (item, kind, day) is reminded at most once."""
    today = today or timezone.localdate()
    soon_days = settings.REMINDER_DUE_SOON_DAYS
    report = SweepReport(today=today)
    _redispatch_stale_messages(report)
    candidates = candidate_items(today, soon_days)
    teams = list(
        Team.objects.filter(Exists(candidates.filter(team_id=OuterRef("pk")))).order_by("pk")
    )
    recent = _recent_reminders(today, soon_days)
    for team in teams:
        try:
            _sweep_team(team, candidates.filter(team_id=team.pk), today, soon_days, recent, report)
        except Exception:
            # One team's trouble must not silence the others. Its transaction rolled back:
            # nothing is claimed, so the next hourly sweep tries that team again.
            logger.exception("reminder sweep %s: team %s failed", today, team.slug)
            report.teams_failed.append(team.slug)
    _collect_outcomes(report)
    logger.info(
        "reminder sweep %s: %s items considered, %s reminders in %s messages "
        "(%s sent, %s not sent for lack of a webhook, %s failed, %s pending)",
        today,
        report.items_considered,
        report.reminders_claimed,
        report.messages_queued,
        report.messages_sent,
        report.messages_skipped,
        report.messages_failed,
        report.messages_pending,
    )
    return report


def _redispatch_stale_messages(report):
    from postmortems.tasks import deliver_slack_message

    now = timezone.now()
    stale = SlackMessage.objects.filter(
        kind=SlackMessage.Kind.REMINDERS,
        state=SlackMessage.State.PENDING,
        # Never tried: its task was lost. (A message with tries is in a retry chain.)
        attempts=0,
        created_at__lt=now - STALE_AFTER,
        created_at__gte=now - STALE_GIVE_UP,
    ).values_list("pk", flat=True)
    for message_id in stale:
        # Safe even if the first task is alive after all: the attempt locks the row and
        # sends only while it is pending.
        deliver_slack_message.delay(message_id)
        report.messages_requeued += 1


def _sweep_team(team, items, today, soon_days, recent, report):
    wanted = _wanted_reminders(items, today, soon_days, recent, report)
    if not wanted:
        return
    with transaction.atomic():
        # The outbox row first: the claims carry its id, which is how this sweep finds out
        # which claims it won. Its delivery is queued for after the commit.
        message = slack_message_enqueue(
            team=team, kind=SlackMessage.Kind.REMINDERS, payload={"text": ""}
        )
        _insert_claims(message, wanted, today)
        won = [
            Claimed(*row)
            for row in ReminderLog.objects.filter(message=message)
            .order_by("item_id", "kind")
            .values_list(*CLAIMED_FIELDS)
        ]
        if won:
            payload = build_payload(team, won, today)
            SlackMessage.objects.filter(pk=message.pk).update(payload=payload)
            message.payload = payload
        else:
            # Another sweep holds every claim: drop the empty message (and its queued send).
            transaction.set_rollback(True)
    won_by_kind = defaultdict(int)
    for row in won:
        won_by_kind[row.kind] += 1
    wanted_by_kind = defaultdict(int)
    for _item_id, kind in wanted:
        wanted_by_kind[kind] += 1
    for kind, count in wanted_by_kind.items():
        report.kinds[kind].claimed += won_by_kind[kind]
        # Taken meanwhile by a sweep running at the same time.
        report.kinds[kind].already_reminded += count - won_by_kind[kind]
    if won:
        report.teams += 1
        report.messages_queued += 1
        report.message_ids.append(message.pk)


def _recent_reminders(today, soon_days):
    """``{(item_id, kind): [(for_date, state), …]}`` for the days the schedule looks back on.
    Read once per sweep; a claim taken meanwhile by another sweep is caught by the unique
    constraint, not by this."""
    recent = defaultdict(list)
    rows = ReminderLog.objects.filter(
        for_date__gte=today - timedelta(days=_lookback_days(soon_days)), for_date__lte=today
    ).values_list("item_id", "kind", "for_date", "state")
    for item_id, kind, for_date, state in rows.iterator(chunk_size=ITEM_CHUNK_SIZE):
        recent[(item_id, kind)].append((for_date, state))
    return recent


def _insert_claims(message, wanted, today):
    """Insert the claims, skipping those another sweep already holds (ON CONFLICT DO
    NOTHING), in ``wanted``'s order."""
    if connection.vendor == "postgresql":
        # One statement per team from two arrays: bulk_create spends most of its time
        # building model instances and SQL for tens of thousands of rows.
        now = timezone.now()
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(ReminderLog._meta.db_table)} "  # noqa: S608 -- names only
                "(item_id, kind, for_date, state, message_id, attempts, last_error, "
                "created_at, updated_at) "
                "SELECT t.item_id, t.kind, %s, %s, %s, 0, '', %s, %s "
                "FROM unnest(%s::bigint[], %s::varchar[]) WITH ORDINALITY AS t(item_id, kind, n) "
                "ORDER BY t.n ON CONFLICT DO NOTHING",
                [
                    today,
                    State.CLAIMED,
                    message.pk,
                    now,
                    now,
                    [item_id for item_id, _kind in wanted],
                    [str(kind) for _item_id, kind in wanted],
                ],
            )
        return
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(item_id=item_id, kind=kind, for_date=today, message=message)
            for item_id, kind in wanted
        ],
        batch_size=CLAIM_BATCH_SIZE,
        ignore_conflicts=True,
    )


def _wanted_reminders(items, today, soon_days, recent, report):
    """``[(item_id, kind)]`` the schedule asks for today, in a stable order (item, kind), so
    concurrent sweeps insert their claims in the same order and never deadlock."""
    wanted = []
    current_zone = timezone.get_current_timezone()
    for item_id, due_date, created_at, assignee_id in _in_chunks(items):
        report.items_considered += 1
        created_on = timezone.localtime(created_at, current_zone).date()
        history = {
            kind: recent[(item_id, kind)] for kind in Kind.values if (item_id, kind) in recent
        }
        for kind in kinds_due(
            today=today,
            due_date=due_date,
            created_on=created_on,
            has_assignee=assignee_id is not None,
            history=history,
            soon_days=soon_days,
        ):
            if any(for_date == today for for_date, _state in history.get(kind, ())):
                report.kinds[kind].already_reminded += 1
                continue
            wanted.append((item_id, kind))
    wanted.sort(key=lambda pair: (pair[0], pair[1]))
    return wanted


def _in_chunks(items):
    """``(pk, due_date, created_at, assignee_id)`` of ``items`` in pk order, read in chunks
    by key (a plain query each; most teams fit in one, and a huge team never sits in memory
    at once)."""
    fields = ("pk", "due_date", "created_at", "assignee_id")
    last = 0
    while True:
        chunk = list(
            items.filter(pk__gt=last).order_by("pk").values_list(*fields)[:ITEM_CHUNK_SIZE]
        )
        yield from chunk
        if len(chunk) < ITEM_CHUNK_SIZE:
            return
        last = chunk[-1][0]


def _collect_outcomes(report):
    """Message and reminder states right after the sweep: final when delivery ran inline
    (eager Celery), otherwise mostly pending until the worker gets to them."""
    if not report.message_ids:
        return
    states = dict(
        SlackMessage.objects.filter(pk__in=report.message_ids)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    report.messages_sent = states.get(SlackMessage.State.SENT, 0)
    report.messages_skipped = states.get(SlackMessage.State.SKIPPED_NO_WEBHOOK, 0)
    report.messages_failed = states.get(SlackMessage.State.FAILED, 0)
    report.messages_pending = states.get(SlackMessage.State.PENDING, 0)
    by_kind = (
        ReminderLog.objects.filter(message_id__in=report.message_ids)
        .values_list("kind", "state")
        .annotate(n=Count("pk"))
    )
    for kind, state, n in by_kind:
        counts = report.kinds[kind]
        attr = "pending" if state == State.CLAIMED else state
        setattr(counts, attr, getattr(counts, attr) + n)


# --- The message --------------------------------------------------------------------------


def item_url(item_id):
    return f"{settings.SITE_URL}/actions/{item_id}/"


def dashboard_url(team):
    return f"{settings.SITE_URL}/actions/?team={team.pk}&status=open"


def _who(row):
    """A Slack mention when we know the person's member id, their name otherwise."""
    member_id = (row.slack_member_id or "").strip().upper()
    if _SLACK_MEMBER_ID.match(member_id):
        return f"<@{member_id}>"
    return f"*{slack.escape(row.person_name)}*"


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


def _item_line(row, kinds, today):
    title = row.title if len(row.title) <= MAX_TITLE_CHARS else row.title[:MAX_TITLE_CHARS] + "…"
    parts = [
        f"<{item_url(row.item_id)}|{slack.escape(title)}>",
        row.priority,
        _("due %(date)s") % {"date": row.due_date.isoformat()},
        *(_kind_label(kind, row, today) for kind in sorted(kinds, key=KIND_ORDER.get)),
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
    for assignee_id in sorted(people, key=person_key):
        ids = sorted(people[assignee_id], key=urgency)
        if assignee_id is None:
            heading = "*" + _("Nobody assigned yet") + "*"
        else:
            heading = _who(items[ids[0]])
        # Lines are made as the message takes them: most of a big team's are never shown.
        lines = (_item_line(items[i], kinds_by_item[i], today) for i in ids)
        groups.append((heading, lines))
    return groups, kinds_by_item


def _section(text):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def build_payload(team, rows, today):
    """Block Kit message plus a plain ``text`` fallback, in the team's language, within
    Slack's limits. ``rows`` are the ``Claimed`` reminders of the message."""
    with translation.override(team.language):
        return _build_payload(team, rows, today)


def hide_restricted(team, row):
    """The reminder as ``team``'s channel may see it. An item of a restricted postmortem is
    owned by the postmortem's team (``services.check_owner_team``); one owned elsewhere all
    the same (the postmortem became restricted later) is still reminded, but its title never
    reaches a channel whose members cannot open it: the line says a restricted item is due
    and links to it, for whoever may open it."""
    if not row.restricted or row.postmortem_team_id == team.pk:
        return row
    return row._replace(title=_("A restricted action item — open Hindsight to see it"))


def _build_payload(team, rows, today):
    rows = [hide_restricted(team, row) for row in rows]
    groups, kinds_by_item = _groups(rows, today)
    total_items = len(kinds_by_item)
    per_kind = defaultdict(int)
    for kinds in kinds_by_item.values():
        for kind in kinds:
            per_kind[kind] += 1
    dashboard = dashboard_url(team)

    header = _("Action-item reminders for %(team)s, %(date)s") % {
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
        {"type": "header", "text": {"type": "plain_text", "text": _clip(header, MAX_HEADER_CHARS)}},
        _section(slack.escape(summary)),
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
            line = _clip(line, MAX_SECTION_CHARS - len(heading) - 1)
            if len(text) + 1 + len(line) > MAX_SECTION_CHARS:
                blocks.append(_section(text))
                room -= 1
                if room <= 0:
                    text = None
                    break
                text = heading + " " + _("(continued)")
            text += "\n" + line
            listed += 1
            listed_lines.append(line)
        if text is not None:
            blocks.append(_section(text))
            room -= 1
    more = total_items - listed
    if more:
        closing = (
            ngettext("…and %(n)d more item.", "…and %(n)d more items.", more) % {"n": more}
            + f" <{dashboard}|"
            + _("See all open items of %(team)s") % {"team": slack.escape(team.name)}
            + ">"
        )
    else:
        closing = (
            f"<{dashboard}|"
            + _("Open %(team)s's dashboard") % {"team": slack.escape(team.name)}
            + ">"
        )
    blocks.append(_section(closing))

    text = _fallback_text(header, summary, listed_lines, total_items, dashboard)
    return {"text": text, "blocks": blocks}


def _fallback_text(header, summary, lines, total_items, dashboard):
    """Plain text for notifications and clients without Block Kit: the summary, as many item
    lines as fit, and the dashboard link."""
    head = f"{slack.escape(header)}\n{slack.escape(summary)}"
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


def _clip(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"
