"""Demo themes and a season of themed incidents, so /kaizen/ and /metrics/ show trends on
the first run. Idempotent: everything is looked up by a natural key before it is created.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from actions import kaizen
from actions.models import ActionItem
from postmortems import markdown
from postmortems.models import ContributingFactor, Membership, Postmortem, Theme

# slug, name, English keywords, Korean keywords, description
THEMES = [
    (
        "alert-fatigue",
        "alert fatigue",
        "alert, alerts, pager, paging, noisy, flapping, on-call",
        "알림, 경보, 호출, 당직",
        "Too many or too noisy alerts, so the one that mattered was missed or ignored.",
    ),
    (
        "config-drift",
        "config drift",
        "config, configuration, drift, flag, manual change, mismatch",
        "설정, 구성, 불일치, 수동 변경",
        "Environments or hosts whose configuration silently diverged from what we expected.",
    ),
    (
        "missing-runbook",
        "missing runbook",
        "runbook, playbook, documentation, undocumented, manual step",
        "런북, 문서, 절차, 매뉴얼",
        "Responders had no written procedure, or it was out of date.",
    ),
    (
        "capacity-headroom",
        "capacity headroom",
        "capacity, headroom, saturation, quota, disk full, connection pool, limit",
        "용량, 포화, 한도, 디스크, 커넥션 풀",
        "A resource ran out because we did not see it coming.",
    ),
    (
        "risky-deploys",
        "risky deploys",
        "deploy, deployment, rollout, rollback, canary, release, migration",
        "배포, 롤백, 릴리스, 카나리, 마이그레이션",
        "Changes shipped without enough safety: no canary, no quick rollback.",
    ),
]

# team slug, weeks ago (0 = the last completed week), theme slugs, severity, title, factor
INCIDENTS = [
    (
        "payments",
        0,
        ["alert-fatigue"],
        "SEV2",
        "Card authorisations timed out during the evening peak",
        "The latency alert was one of forty noisy pages that night; it was acknowledged unread.",
    ),
    (
        "payments",
        1,
        ["alert-fatigue", "missing-runbook"],
        "SEV3",
        "Refund queue stalled for three hours",
        "The queue-depth alert flapped all week, and no runbook covers draining the queue.",
    ),
    (
        "payments",
        3,
        ["alert-fatigue"],
        "SEV3",
        "Settlement report generated twice",
        "Duplicate-run alert was muted last month because it was noisy.",
    ),
    (
        "payments",
        6,
        ["alert-fatigue"],
        "SEV2",
        "Payment page errors after certificate renewal",
        "The certificate-expiry alert paged a retired on-call rotation.",
    ),
    (
        "payments",
        9,
        ["alert-fatigue", "config-drift"],
        "SEV3",
        "Currency rounding differed between regions",
        "A config flag differed between regions; the drift alert was disabled as noisy.",
    ),
    (
        "payments",
        2,
        ["risky-deploys"],
        "SEV1",
        "Checkout unavailable after a schema migration",
        "The migration locked the orders table; no canary, and rollback took 40 minutes.",
    ),
    (
        "payments",
        7,
        ["risky-deploys"],
        "SEV2",
        "Fraud rules released without their data",
        "The release shipped rules before the data migration finished.",
    ),
    (
        "platform",
        0,
        ["capacity-headroom"],
        "SEV2",
        "Build cluster ran out of disk",
        "Disk full on the shared build hosts; no headroom alert, saturation was not tracked.",
    ),
    (
        "platform",
        1,
        ["config-drift"],
        "SEV3",
        "Staging DNS pointed at production cache",
        "A manual configuration change on one host drifted from the managed config.",
    ),
    (
        "platform",
        4,
        ["config-drift", "missing-runbook"],
        "SEV2",
        "Load balancer health checks failed after reboot",
        "Host config did not match the template, and the recovery steps were undocumented.",
    ),
    (
        "platform",
        8,
        ["config-drift"],
        "SEV3",
        "TLS settings differed on two edge nodes",
        "설정 불일치: 두 노드의 TLS 구성이 수동 변경 후 달라졌다.",
    ),
    (
        "platform",
        5,
        ["risky-deploys"],
        "SEV3",
        "Kubernetes upgrade restarted all pods at once",
        "The rollout had no disruption budget; canary stage was skipped.",
    ),
    (
        "platform",
        10,
        ["missing-runbook"],
        "SEV3",
        "Certificate rotation missed one service",
        "런북이 없어서 인증서 교체 절차가 사람마다 달랐다.",
    ),
    (
        "search",
        0,
        ["capacity-headroom", "risky-deploys"],
        "SEV3",
        "Search index rebuild saturated the cluster",
        "The release triggered a full reindex; connection pool limit reached within minutes.",
    ),
    (
        "search",
        2,
        ["missing-runbook"],
        "SEV3",
        "Autocomplete returned stale suggestions",
        "No playbook for invalidating the suggestion cache; responders guessed.",
    ),
    (
        "search",
        5,
        ["alert-fatigue"],
        "SEV4",
        "Crawler paused for a weekend unnoticed",
        "경보가 너무 많아 크롤러 정지 알림을 아무도 보지 못했다.",
    ),
    (
        "search",
        11,
        ["missing-runbook"],
        "SEV4",
        "Synonym file rollback took a day",
        "Rollback of the synonym file was an undocumented manual step.",
    ),
]

# Older incidents for the 12-month metrics (months ago, team, severity, title, caused by change)
OLDER = [
    (4, "payments", "SEV2", "Payout batch delayed by a stuck lock", False),
    (5, "platform", "SEV1", "Primary database failover took 25 minutes", True),
    (6, "search", "SEV3", "Query latency doubled after a JVM flag change", True),
    (7, "payments", "SEV3", "Webhook deliveries retried in a loop", False),
    (8, "platform", "SEV2", "Object storage credentials expired", False),
    (9, "search", "SEV2", "Index shards unassigned after node loss", False),
    (10, "payments", "SEV4", "Receipts e-mailed twice", True),
    (11, "platform", "SEV3", "CI runners lost network after an image update", True),
]

PREFIX = "[demo] "


def _users_by_team():
    people = {}
    for membership in Membership.objects.select_related("user").order_by("user__username"):
        people.setdefault(membership.team_id, []).append(membership.user)
    return people


def _incident(*, team, title, severity, started_at, rng, caused_by_change, restricted=False):
    """A published postmortem (or one in review if its times are recent) with real times."""
    now = timezone.now()
    detected = started_at + datetime.timedelta(minutes=rng.randint(3, 90))
    mitigated = detected + datetime.timedelta(minutes=rng.randint(10, 120))
    resolved = mitigated + datetime.timedelta(minutes=rng.randint(15, 600))
    published = resolved + datetime.timedelta(hours=rng.randint(20, 240))
    status = Postmortem.Status.PUBLISHED
    if published > now:
        published, status = None, Postmortem.Status.IN_REVIEW
    summary = f"{title}. Written up for the demo organisation."
    pm, created = Postmortem.objects.get_or_create(
        team=team,
        title=PREFIX + title,
        defaults={
            "severity": severity,
            "status": status,
            "restricted": restricted,
            "caused_by_change": caused_by_change,
            "started_at": started_at,
            # A few incidents lack a detection time, as real ones do.
            "detected_at": None if rng.random() < 0.12 else detected,
            "mitigated_at": mitigated,
            "resolved_at": resolved,
            "published_at": published,
            "summary": summary,
            "summary_html": markdown.render(summary),
        },
    )
    if created:
        Postmortem.objects.filter(pk=pm.pk).update(
            created_at=resolved + datetime.timedelta(hours=2)
        )
    return pm


def _action(*, pm, factor, title, kind, status, rng, assignee=None):
    created_at = (pm.resolved_at or timezone.now()) + datetime.timedelta(days=1)
    due = timezone.localdate(created_at) + datetime.timedelta(days=rng.choice([7, 14, 30]))
    item, created = ActionItem.objects.get_or_create(
        postmortem=pm,
        title=title,
        defaults={
            "factor": factor,
            "kind": kind,
            "priority": rng.choice(["P1", "P2", "P3"]),
            "status": status,
            "team": pm.team,
            "assignee": assignee,
            "due_date": due,
        },
    )
    if created:
        completed = None
        if status in ActionItem.CLOSED_STATUSES:
            # Most done on time, some late.
            completed = kaizen.day_start(due) + datetime.timedelta(days=rng.choice([-3, -1, 0, 4]))
            completed = min(completed, timezone.now())
        ActionItem.objects.filter(pk=item.pk).update(created_at=created_at, completed_at=completed)
    return item


@transaction.atomic
def seed(*, teams, users):
    """Create the demo themes and themed incidents, then roll up the last 12 weeks."""
    rng = random.Random(20260301)  # the same demo every time
    themes = {}
    for slug, name, en, ko, description in THEMES:
        themes[slug], _ = Theme.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "keywords": f"{en}\n{ko}", "description": description},
        )
    people = _users_by_team()
    last_end = kaizen.last_completed_week_end()

    for n, (team_slug, weeks_ago, theme_slugs, severity, title, factor_text) in enumerate(
        INCIDENTS
    ):
        team = teams[team_slug]
        week_start = last_end - datetime.timedelta(days=6, weeks=weeks_ago)
        started = kaizen.day_start(week_start) + datetime.timedelta(
            days=rng.randint(0, 6), hours=rng.randint(1, 22), minutes=rng.randint(0, 59)
        )
        pm = _incident(
            team=team,
            title=title,
            severity=severity,
            started_at=started,
            rng=rng,
            caused_by_change="risky-deploys" in theme_slugs or "config-drift" in theme_slugs,
            restricted=(n == 5),  # one restricted postmortem: counted, never named to others
        )
        category = {
            "alert-fatigue": ContributingFactor.Category.MONITORING,
            "config-drift": ContributingFactor.Category.CONFIGURATION,
            "missing-runbook": ContributingFactor.Category.DOCUMENTATION,
            "capacity-headroom": ContributingFactor.Category.CAPACITY,
            "risky-deploys": ContributingFactor.Category.DEPLOY,
        }[theme_slugs[0]]
        factor, created = ContributingFactor.objects.get_or_create(
            postmortem=pm,
            description=factor_text,
            defaults={"category": category, "description_html": markdown.render(factor_text)},
        )
        if created:
            factor.themes.add(*(themes[s] for s in theme_slugs))
        members = people.get(team.pk) or [None]
        assignee = members[n % len(members)]
        # Alert fatigue keeps recurring with detection fixes only: the Kaizen page warns.
        if "alert-fatigue" in theme_slugs:
            _action(
                pm=pm,
                factor=factor,
                title="Tune the alert thresholds for this service",
                kind=ActionItem.Kind.DETECT,
                status=rng.choice(["open", "done"]),
                rng=rng,
                assignee=assignee,
            )
        else:
            _action(
                pm=pm,
                factor=factor,
                title="Add a guard so this cannot happen again",
                kind=ActionItem.Kind.PREVENT,
                status="open" if weeks_ago < 4 else rng.choice(["done", "done", "open"]),
                rng=rng,
                assignee=assignee,
            )
        if "missing-runbook" in theme_slugs:
            _action(
                pm=pm,
                factor=factor,
                title="Write the runbook and link it from the alert",
                kind=ActionItem.Kind.PROCESS,
                status=rng.choice(["open", "done"]),
                rng=rng,
                assignee=assignee,
            )

    today = timezone.localdate()
    for months_ago, team_slug, severity, title, by_change in OLDER:
        started = kaizen.day_start(today - datetime.timedelta(days=30 * months_ago + 3))
        started += datetime.timedelta(hours=rng.randint(1, 20))
        pm = _incident(
            team=teams[team_slug],
            title=title,
            severity=severity,
            started_at=started,
            rng=rng,
            caused_by_change=by_change,
        )
        _action(
            pm=pm,
            factor=None,
            title="Follow up on the incident review",
            rng=rng,
            kind=ActionItem.Kind.MITIGATE,
            status=rng.choice(["done", "done", "open"]),
        )

    kaizen.rollup_weeks(period_end=last_end, weeks=12)
