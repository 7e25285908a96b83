"""The hourly sweep: claim today's reminders and queue one Slack message per team."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from postmortems.models import SlackMessage, Team
from postmortems.services import slack_message_enqueue
from postmortems.tasks import deliver_slack_message

from ..models import ReminderLog
from .claims import CLAIMED_FIELDS, Claimed, insert_claims, recent_reminders, wanted_reminders
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
    concurrently: every (item, kind, day) is reminded at most once."""
    today = today or timezone.localdate()
    soon_days = settings.REMINDER_DUE_SOON_DAYS
    report = SweepReport(today=today)
    _redispatch_stale_messages(report)
    candidates = candidate_items(today, soon_days)
    teams = list(
        Team.objects.filter(Exists(candidates.filter(team_id=OuterRef("pk")))).order_by("pk")
    )
    recent = recent_reminders(today, soon_days)
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
    wanted = wanted_reminders(items, today, soon_days, recent, report)
    if not wanted:
        return
    with transaction.atomic():
        # The outbox row first: the claims carry its id, which is how this sweep finds out
        # which claims it won. Its delivery is queued for after the commit.
        message = slack_message_enqueue(
            team=team, kind=SlackMessage.Kind.REMINDERS, payload={"text": ""}
        )
        insert_claims(message, wanted, today)
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
