"""The hourly sweep: claim today's reminders and queue one Slack message per team."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from postmortems.models import SlackMessage, Team
from postmortems.services import slack_messages_enqueue, slack_messages_redispatch

from .. import events
from ..models import ActionItem, ReminderLog
from .claims import insert_claims, won_claims
from .due import due_reminders
from .message import build_payload
from .report import SweepReport
from .schedule import candidate_items

logger = logging.getLogger(__name__)

State = ReminderLog.State

# A reminder message still pending after this long lost its delivery task (e.g. the broker
# was down when it was queued): the sweep queues it again. Longer than any retry schedule.
# After STALE_GIVE_UP it is too late to remind; it stays pending, visible on the team page.
STALE_AFTER = timedelta(hours=1)
STALE_GIVE_UP = timedelta(days=1)


def sweep(today=None):
    """Claim today's reminders and queue one Slack message per team. Safe to run again and
    concurrently: every (item, kind, day) is reminded at most once.

    A fixed number of queries whatever the number of items or teams: the due sets, one per
    kind; the claims of every team in one INSERT; their message lines in one SELECT; the
    payloads in one UPDATE; one look-up of the outgoing webhooks that hear about overdue
    items."""
    today = today or timezone.localdate()
    soon_days = settings.REMINDER_DUE_SOON_DAYS
    report = SweepReport(today=today)
    _redispatch_stale_messages(report)
    report.items_considered = candidate_items(today, soon_days).count()
    wanted_by_team = defaultdict(list)
    for due in due_reminders(today, soon_days):
        if due.claimed_today:
            report.kinds[due.kind].already_reminded += 1
        else:
            wanted_by_team[due.team_id].append((due.item_id, due.kind))
    if wanted_by_team:
        teams = list(Team.objects.filter(pk__in=wanted_by_team).order_by("pk"))
        _claim_and_compose(teams, wanted_by_team, today, report)
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
    requeued = slack_messages_redispatch(
        never_tried_for=STALE_AFTER,
        kinds=[SlackMessage.Kind.REMINDERS],
        not_older_than=STALE_GIVE_UP,
    )
    report.messages_requeued += len(requeued)


def _claim_and_compose(teams, wanted_by_team, today, report):
    """One transaction for every team: the outbox rows first (the claims carry their ids,
    which is how this sweep finds out which claims it won), then every claim in one
    INSERT, the won ones read back in one SELECT, the messages built in Python and stored
    in one UPDATE. Deliveries are queued for after the commit."""
    with transaction.atomic():
        messages = slack_messages_enqueue(
            teams=teams, kind=SlackMessage.Kind.REMINDERS, payload={"text": ""}
        )
        message_for_team = {message.team_id: message for message in messages}
        rows = sorted(
            (
                (item_id, kind, message_for_team[team_id].pk)
                for team_id, wanted in wanted_by_team.items()
                for item_id, kind in wanted
            ),
            key=lambda row: (row[0], row[1]),
        )
        insert_claims(rows, today)
        won = won_claims([message.pk for message in messages])
        composed, dropped = [], []
        for team, message in zip(teams, messages, strict=True):
            claims = won.get(message.pk, [])
            if not claims:
                # Another sweep holds every claim of this team.
                for _item_id, kind in wanted_by_team[team.pk]:
                    report.kinds[kind].already_reminded += 1
                dropped.append(message.pk)
                continue
            try:
                message.payload = build_payload(team, claims, today)
            except Exception:
                # One team's trouble must not silence the others: its claims go (below),
                # so the next hourly sweep tries that team again.
                logger.exception("reminder sweep %s: team %s failed", today, team.slug)
                report.teams_failed.append(team.slug)
                dropped.append(message.pk)
                continue
            composed.append((team, message, claims))
        if dropped:
            ReminderLog.objects.filter(message_id__in=dropped).delete()
            SlackMessage.objects.filter(pk__in=dropped).delete()
        SlackMessage.objects.bulk_update([message for _t, message, _c in composed], ["payload"])
        overdue = {
            team: [row.item_id for row in claims if row.kind == ReminderLog.Kind.OVERDUE]
            for team, _message, claims in composed
        }
        overdue = {team: item_ids for team, item_ids in overdue.items() if item_ids}
        if overdue:
            events.action_items_overdue.send(
                sender=ActionItem, item_ids_by_team=overdue, for_date=today
            )
    for team, message, claims in composed:
        won_by_kind = defaultdict(int)
        for row in claims:
            won_by_kind[row.kind] += 1
        wanted_by_kind = defaultdict(int)
        for _item_id, kind in wanted_by_team[team.pk]:
            wanted_by_kind[kind] += 1
        for kind, count in wanted_by_kind.items():
            report.kinds[kind].claimed += won_by_kind[kind]
            # Taken meanwhile by a sweep running at the same time.
            report.kinds[kind].already_reminded += count - won_by_kind[kind]
        report.teams += 1
        report.messages_queued += 1
        report.message_ids.append(message.pk)


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
