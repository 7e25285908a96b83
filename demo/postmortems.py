"""Demo postmortems, timelines and factors for ``seed_demo``.

A handful of realistic write-ups in every state (published, in review, draft, one
restricted, one spanning a weekend, one in Korean). Idempotent: each postmortem is looked
up by team and title, and its timeline and factors are only added when it is created.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from postmortems import markdown
from postmortems.models import ContributingFactor, Postmortem, ReviewComment, Theme, TimelineEvent

M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)

# Each entry: postmortem fields, people, timeline (offset from start, kind, text),
# factors (category, description, theme slugs), an optional review comment.
POSTMORTEMS = [
    {
        "team": "payments",
        "title": "Card payments declined after a certificate rotation",
        "severity": "SEV1",
        "status": Postmortem.Status.PUBLISHED,
        "caused_by_change": True,
        "days_ago": 12,
        "detected": 6 * M,
        "mitigated": 34 * M,
        "resolved": 2 * H,
        "authors": ["alice"],
        "reviewers": ["carol"],
        "summary": (
            "For 34 minutes about 40% of card payments were declined. A routine rotation of "
            "the client certificate for the card network shipped a certificate chain without "
            "the intermediate, and the card network's gateway refused the handshake.\n\n"
            "Rolling the certificate bundle back restored payments; the corrected bundle went "
            "out the same afternoon."
        ),
        "impact": (
            "- About 18,000 payment attempts declined, 9,600 of them retried successfully "
            "within the hour.\n- Support received 212 contacts.\n- No double charges."
        ),
        "went_well": (
            "- The decline-rate alert fired within 6 minutes.\n- The rollback was one command "
            "and took under 3 minutes once chosen."
        ),
        "got_lucky": (
            "The rotation happened at 10:00, not during the evening peak, and the on-call "
            "engineer had done the previous rotation."
        ),
        "surprises": (
            "The staging gateway accepts chains without intermediates, so the pre-production "
            "check passed. Nobody knew the two gateways differed."
        ),
        "timeline": [
            (0 * M, "key_moment", "Certificate bundle v2026.3 deployed to the payment gateway."),
            (6 * M, "detection", "Decline-rate alert: 38% declines on card payments."),
            (11 * M, "diagnosis", "TLS handshake failures to the card network in gateway logs."),
            (19 * M, "communication", "Status page: *card payments degraded*."),
            (27 * M, "diagnosis", "Chain found to miss the intermediate certificate."),
            (31 * M, "repair", "Rollback of the certificate bundle started."),
            (34 * M, "repair", "Decline rate back to the 2% baseline."),
            (2 * H, "key_moment", "Corrected bundle deployed; incident resolved."),
        ],
        "factors": [
            (
                "deploy",
                "The certificate rotation had no canary: the new bundle reached every gateway "
                "host at once.",
                ["risky-deploys"],
            ),
            (
                "testing",
                "Staging's card-network simulator accepts incomplete chains, so the check "
                "before production could not catch this.",
                [],
            ),
        ],
    },
    {
        "team": "platform",
        "title": "Event ingest backlog over a long weekend",
        "severity": "SEV2",
        "status": Postmortem.Status.IN_REVIEW,
        "caused_by_change": False,
        "days_ago": 20,
        "detected": 9 * H,
        "mitigated": 2 * D + 3 * H,
        "resolved": 3 * D + 1 * H,
        "authors": ["carol"],
        "reviewers": ["alice"],
        "summary": (
            "Late on Friday the event ingest queue started to grow faster than consumers "
            "drained it. Dashboards and exports lagged by up to 30 hours until extra consumers "
            "were added on Sunday; the backlog was empty on Monday."
        ),
        "impact": (
            "Customer analytics dashboards showed stale data for most of the weekend. No "
            "events were lost."
        ),
        "went_well": "The queue's retention was long enough that nothing was dropped.",
        "got_lucky": "Traffic was low over the holiday, so the backlog grew slowly.",
        "surprises": (
            "The consumer autoscaler was capped at 8 replicas, a limit set two years ago for "
            "a much smaller cluster. The lag alert only paged during business hours."
        ),
        "timeline": [
            (0 * M, "key_moment", "Ingest rate passes consumer throughput; queue depth grows."),
            (9 * H, "detection", "Lag alert seen in the morning check (it did not page)."),
            (11 * H, "diagnosis", "Consumers pinned at the autoscaler's maximum of 8."),
            (1 * D + 2 * H, "communication", "Status page updated: analytics delayed."),
            (2 * D + 3 * H, "repair", "Autoscaler limit raised to 24; backlog starts to fall."),
            (3 * D + 1 * H, "key_moment", "Queue depth back to normal."),
        ],
        "factors": [
            (
                "capacity",
                "The autoscaler's maximum was never revisited as the cluster grew.",
                ["capacity-headroom"],
            ),
            (
                "monitoring",
                "The ingest-lag alert was routed to a business-hours channel, not the pager.",
                ["alert-fatigue"],
            ),
        ],
        "comment": ("alice", "section:surprises", "Do we know who else relies on that cap?"),
    },
    {
        "team": "platform",
        "title": "캐시 클러스터 교체 후 API 응답 지연",
        "severity": "SEV3",
        "status": Postmortem.Status.DRAFT,
        "caused_by_change": True,
        "days_ago": 3,
        "detected": 14 * M,
        "mitigated": 50 * M,
        "resolved": 3 * H,
        "authors": ["minsu"],
        "reviewers": ["carol"],
        "summary": (
            "캐시 클러스터를 새 노드로 교체한 뒤 캐시 적중률이 떨어져 API 응답 시간이 평소의 "
            "세 배까지 늘었습니다. 캐시가 다시 채워지면서 50분 뒤 정상으로 돌아왔습니다."
        ),
        "impact": "약 50분 동안 API 요청의 p95 응답 시간이 900ms를 넘었습니다.",
        "went_well": "지연 경보가 14분 만에 울렸고, 대응 절차가 문서에 있었습니다.",
        "got_lucky": "교체 작업이 트래픽이 적은 시간대에 진행되었습니다.",
        "surprises": "교체 절차에 캐시를 미리 채우는 단계가 없다는 것을 아무도 알지 못했습니다.",
        "timeline": [
            (0 * M, "key_moment", "캐시 노드 교체 시작."),
            (14 * M, "detection", "API 지연 경보 발생."),
            (30 * M, "diagnosis", "캐시 적중률이 20%로 떨어진 것을 확인."),
            (50 * M, "repair", "캐시가 다시 채워져 응답 시간 정상화."),
        ],
        "factors": [
            (
                "process",
                "교체 절차에 캐시 예열 단계가 없었습니다.",
                ["missing-runbook"],
            ),
        ],
    },
    {
        "team": "search",
        "title": "Stale search results in one region",
        "severity": "SEV3",
        "status": Postmortem.Status.PUBLISHED,
        "caused_by_change": False,
        "days_ago": 30,
        "detected": 2 * H,
        "mitigated": 3 * H,
        "resolved": 5 * H,
        "authors": ["dave"],
        "reviewers": ["carol"],
        "summary": (
            "Search in the EU region served results up to four hours old because index "
            "replication stopped after a disk on the replica filled up."
        ),
        "impact": "New and edited listings did not appear in EU search for about 3 hours.",
        "went_well": "Failing over to the healthy replica was quick and well rehearsed.",
        "got_lucky": "Only one of three regional replicas was affected.",
        "surprises": "Replication stopped silently; nothing alerted on replication lag.",
        "timeline": [
            (0 * M, "key_moment", "Replica disk reaches 100%; replication stops."),
            (2 * H, "detection", "Customer support reports missing new listings in the EU."),
            (3 * H, "repair", "Traffic failed over to the second EU replica."),
            (5 * H, "repair", "Disk expanded, replica resynced and back in rotation."),
        ],
        "factors": [
            (
                "monitoring",
                "No alert on replication lag or replica disk usage.",
                ["alert-fatigue"],
            ),
        ],
    },
    {
        "team": "payments",
        "title": "Refund report written to a shared bucket",
        "severity": "SEV2",
        "status": Postmortem.Status.IN_REVIEW,
        "restricted": True,
        "caused_by_change": True,
        "days_ago": 6,
        "detected": 3 * H,
        "mitigated": 3 * H + 20 * M,
        "resolved": 1 * D,
        "authors": ["bob"],
        "reviewers": ["alice"],
        "summary": (
            "A configuration change pointed the nightly refund report at a storage bucket "
            "shared with the analytics team. The report was moved and access logs reviewed; "
            "no one outside the company had access."
        ),
        "impact": "One report with refund amounts and order ids was readable internally.",
        "went_well": "The bucket's access logs made it easy to confirm who had read it.",
        "got_lucky": "The shared bucket was not public.",
        "surprises": "Bucket names for the two teams differ only by a suffix.",
        "timeline": [
            (0 * M, "key_moment", "Config change merged with the new bucket name."),
            (3 * H, "detection", "Analytics engineer notices an unexpected file and reports it."),
            (3 * H + 20 * M, "repair", "Report moved; bucket policy tightened."),
            (1 * D, "key_moment", "Access log review completed."),
        ],
        "factors": [
            (
                "configuration",
                "Bucket names are free text in the config, with no check against an allow-list.",
                ["config-drift"],
            ),
        ],
    },
]


def _people(users, names):
    return [users[name] for name in names if name in users]


@transaction.atomic
def seed(*, teams, users):
    """Create the demo postmortems (once) and return them."""
    now = timezone.now().replace(second=0, microsecond=0)
    created_postmortems = []
    for spec in POSTMORTEMS:
        team = teams.get(spec["team"])
        if team is None:
            continue
        existing = Postmortem.objects.filter(team=team, title=spec["title"]).first()
        if existing is not None:
            created_postmortems.append(existing)
            continue
        started = now - spec["days_ago"] * D
        fields = {s: spec[s] for s in Postmortem.SECTIONS}
        pm = Postmortem(
            team=team,
            title=spec["title"],
            severity=spec["severity"],
            status=spec["status"],
            restricted=spec.get("restricted", False),
            caused_by_change=spec["caused_by_change"],
            started_at=started,
            detected_at=started + spec["detected"],
            mitigated_at=started + spec["mitigated"],
            resolved_at=started + spec["resolved"],
            published_at=(started + spec["resolved"] + 3 * D)
            if spec["status"] == Postmortem.Status.PUBLISHED
            else None,
            created_by=(_people(users, spec["authors"]) or [None])[0],
            **fields,
            **{f"{s}_html": markdown.render(text) for s, text in fields.items()},
        )
        pm.save()
        pm.authors.set(_people(users, spec["authors"]))
        pm.reviewers.set(_people(users, spec["reviewers"]))
        TimelineEvent.objects.bulk_create(
            TimelineEvent(
                postmortem=pm,
                occurred_at=started + offset,
                kind=kind,
                text=text,
                text_html=markdown.render(text),
                pinned=kind == "key_moment",
            )
            for offset, kind, text in spec["timeline"]
        )
        for category, description, theme_slugs in spec["factors"]:
            factor = ContributingFactor.objects.create(
                postmortem=pm,
                category=category,
                description=description,
                description_html=markdown.render(description),
            )
            # Themes are not created here (the Kaizen demo owns them); link any that exist.
            factor.themes.set(Theme.objects.filter(slug__in=theme_slugs))
        if spec.get("comment") and spec["comment"][0] in users:
            username, anchor, body = spec["comment"]
            ReviewComment.objects.create(
                postmortem=pm,
                anchor=anchor,
                author=users[username],
                body=body,
                body_html=markdown.render(body),
            )
        created_postmortems.append(pm)
    return created_postmortems
