"""Demo action items for ``seed_demo``: every status, some overdue, on the demo postmortems.

Idempotent: an item is looked up by its postmortem and title and only created once.
Postmortems are found by team and title; any that do not exist yet are skipped.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from actions import services
from actions.models import ActionItem
from postmortems.models import Postmortem

D = datetime.timedelta(days=1)

# (team slug, postmortem title, action title, kind, priority, assignee, state,
#  due in days from today (negative: overdue), factor index or None, notes)
ITEMS = [
    (
        "payments",
        "Card payments declined after a certificate rotation",
        "Check the full certificate chain in the pre-deploy pipeline",
        "prevent",
        "P1",
        "alice",
        "done",
        5,
        0,
        "Use `openssl verify` against the production CA bundle.",
    ),
    (
        "payments",
        "Card payments declined after a certificate rotation",
        "Make the staging gateway refuse chains without intermediates",
        "prevent",
        "P2",
        "bob",
        "in_progress",
        20,
        0,
        "",
    ),
    (
        "payments",
        "Card payments declined after a certificate rotation",
        "Alert on handshake failures per card network",
        "detect",
        "P2",
        "bob",
        "open",
        -4,
        None,
        "Overdue on purpose: shows the reminders and the dashboard's overdue count.",
    ),
    (
        "payments",
        "Card payments declined after a certificate rotation",
        "Write the certificate rotation runbook",
        "process",
        "P3",
        None,
        "open",
        25,
        None,
        "",
    ),
    (
        "platform",
        "Event ingest backlog over a long weekend",
        "Autoscale ingest consumers on queue age",
        "mitigate",
        "P1",
        "carol",
        "blocked",
        3,
        0,
        "",
    ),
    (
        "platform",
        "Event ingest backlog over a long weekend",
        "Page on queue age, not only queue length",
        "detect",
        "P2",
        "minsu",
        "open",
        -9,
        None,
        "",
    ),
    (
        "platform",
        "Event ingest backlog over a long weekend",
        "Agree a weekend escalation path with the data team",
        "process",
        "P3",
        "carol",
        "wont_do",
        40,
        None,
        "",
    ),
    (
        "platform",
        "캐시 클러스터 교체 후 API 응답 지연",
        "캐시 워밍업 단계를 교체 절차에 추가",
        "prevent",
        "P2",
        "minsu",
        "in_progress",
        12,
        None,
        "교체 전 **워밍업** 스크립트를 실행합니다.",
    ),
    (
        "search",
        "Stale search results in one region",
        "Alert when index replication lags more than 15 minutes",
        "detect",
        "P2",
        "dave",
        "done",
        10,
        0,
        "",
    ),
    (
        "search",
        "Stale search results in one region",
        "Add a freshness check to the regional smoke test",
        "detect",
        "P3",
        "dave",
        "open",
        -1,
        None,
        "",
    ),
    (
        "payments",
        "Refund report written to a shared bucket",
        "Validate report bucket names against an allow-list",
        "prevent",
        "P1",
        "alice",
        "open",
        6,
        0,
        "",
    ),
]

REASONS = {
    "blocked": "Waiting for the cluster autoscaler upgrade.",
    "wont_do": "Covered by the new on-call rota instead.",
}


@transaction.atomic
def seed(*, teams, users):
    """Create the demo action items (once each); returns the number created."""
    today = timezone.localdate()
    created = 0
    for (
        team_slug,
        pm_title,
        title,
        kind,
        priority,
        assignee_name,
        state,
        due_in,
        factor_index,
        notes,
    ) in ITEMS:
        team = teams.get(team_slug)
        if team is None:
            continue
        postmortem = Postmortem.objects.filter(team=team, title=pm_title).first()
        if (
            postmortem is None
            or ActionItem.objects.filter(postmortem=postmortem, title=title).exists()
        ):
            continue
        factors = list(postmortem.factors.all())
        factor = factors[factor_index] if factor_index is not None and factors else None
        assignee = users.get(assignee_name) if assignee_name else None
        by = assignee or users.get("admin")
        item = services.action_item_create(
            postmortem=postmortem,
            by=by,
            title=title,
            team=team,
            kind=kind,
            priority=priority,
            assignee=assignee,
            due_date=today + max(due_in, 1) * D,
            notes=notes,
            factor=factor,
        )
        if state == "in_progress":
            services.action_item_start(item=item, by=by)
        elif state == "blocked":
            services.action_item_block(item=item, by=by, reason=REASONS["blocked"])
        elif state == "done":
            services.action_item_start(item=item, by=by)
            services.action_item_complete(item=item, by=by)
        elif state == "wont_do":
            services.action_item_wont_do(item=item, by=by, reason=REASONS["wont_do"])
        # The demo tells a story over past weeks: created with the postmortem, some overdue.
        started = postmortem.started_at or timezone.now()
        ActionItem.objects.filter(pk=item.pk).update(
            created_at=min(started + D, timezone.now()), due_date=today + due_in * D
        )
        created += 1
    return created
