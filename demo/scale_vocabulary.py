"""Words and weights the scale data is drawn from (benchmark data only)."""

from postmortems.models import ContributingFactor, Severity

PREFIX = "scale-"
# Shared by every scale account, like seed_demo's; benchmark data only.
PASSWORD = "hindsight-scale"  # noqa: S105
FACTORS_PER_POSTMORTEM = 3
EVENTS_PER_POSTMORTEM = 2

THEMES = [
    ("Alert fatigue", "alert, page, noisy, 알림"),
    ("Config drift", "config, drift, flag, 설정"),
    ("Capacity planning", "capacity, load, saturation, 용량"),
    ("Risky deploys", "deploy, rollout, canary, 배포"),
    ("Stale runbooks", "runbook, docs, playbook, 문서"),
    ("Missing tests", "test, coverage, regression, 테스트"),
    ("Third-party outages", "vendor, dependency, upstream, 외부"),
    ("Unclear ownership", "owner, handoff, escalation, 담당"),
    ("Slow detection", "dashboard, metric, blind spot, 탐지"),
    ("Manual toil", "manual, toil, script, 수동"),
    ("Certificate expiry", "certificate, tls, expiry, 인증서"),
    ("Database locks", "lock, migration, deadlock, 잠금"),
]
TITLES = [
    "Checkout errors after {what}",
    "Search latency during {what}",
    "Login failures caused by {what}",
    "Delayed notifications after {what}",
    "Partial outage of payments during {what}",
    "Stale data served after {what}",
]
WHATS = [
    "a cache resize",
    "a config push",
    "a certificate rotation",
    "a schema migration",
    "a traffic spike",
    "a vendor outage",
    "a canary rollout",
    "a node replacement",
]
ACTION_TITLES = [
    "Alert on {thing}",
    "Add a runbook step for {thing}",
    "Load-test {thing}",
    "Add a canary check for {thing}",
    "Automate {thing}",
    "Document the owner of {thing}",
    "Add a dashboard panel for {thing}",
    "Write a regression test for {thing}",
]
THINGS = [
    "queue depth",
    "cache warm-up",
    "certificate expiry",
    "connection pool size",
    "feature flag rollout",
    "replica lag",
    "disk usage",
    "retry storms",
    "DNS changes",
]

# Weighted choices that look like a real organisation's.
SEVERITIES = [(Severity.SEV1, 5), (Severity.SEV2, 20), (Severity.SEV3, 45), (Severity.SEV4, 30)]
PRIORITIES = [("P1", 10), ("P2", 30), ("P3", 40), ("P4", 20)]
KINDS = [("prevent", 40), ("detect", 25), ("mitigate", 20), ("process", 15)]
OPEN_STATUSES = [("open", 60), ("in_progress", 30), ("blocked", 10)]
CLOSED_STATUSES = [("done", 85), ("wont_do", 15)]
CATEGORIES = [c for c, _label in ContributingFactor.Category.choices]


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]
