"""What a postmortem must contain before review and before publishing, per severity.

A team keeps one ``SeverityTemplate`` per severity: two lists of requirement keys from
``REQUIREMENTS``. Publishing needs everything the review needed plus its own list, so a
requirement ticked "before review" is never dropped later. ``gates.missing_requirements``
checks a postmortem against its team's template; the defaults below are seeded for every
team (a data migration for existing teams, ``seed_team`` when a team is created).
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import JSONField, OuterRef, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Severity, SeverityTemplate, TimelineEvent

REVIEW = "review"
PUBLISH = "publish"


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str | Promise  # lazy: "a summary", "when it was detected", … (after "still needs")


REQUIREMENTS = {
    r.key: r
    for r in (
        Requirement("summary", _("a summary")),
        Requirement("impact", _("the impact")),
        Requirement("went_well", _("what went well")),
        Requirement("got_lucky", _("where we got lucky")),
        Requirement("surprises", _("why we were surprised")),
        Requirement("started_at", _("when it started")),
        Requirement("detected_at", _("when it was detected")),
        Requirement("mitigated_at", _("when it was mitigated")),
        Requirement("resolved_at", _("when it was resolved")),
        Requirement("detection_event", _("a detection event on the timeline")),
        Requirement("repair_event", _("a repair event on the timeline")),
        Requirement("factor", _("at least one contributing factor")),
        Requirement("action_item", _("at least one action item, or a written reason for none")),
    )
}

_MAJOR_REVIEW = [
    "summary",
    "impact",
    "started_at",
    "detected_at",
    "resolved_at",
    "detection_event",
    "repair_event",
]
# (before review, before publishing). SEV1–2 ask for the whole story; SEV3–4 are lighter,
# but no severity lets an empty draft through.
DEFAULTS: dict[str, tuple[list[str], list[str]]] = {
    Severity.SEV1: (_MAJOR_REVIEW, ["factor", "action_item"]),
    Severity.SEV2: (_MAJOR_REVIEW, ["factor", "action_item"]),
    Severity.SEV3: (["summary", "impact", "started_at", "resolved_at"], ["factor", "action_item"]),
    Severity.SEV4: (["summary"], ["impact"]),
}


def template_for(team_id: int, severity: str) -> tuple[list[str], list[str]]:
    """(before review, before publishing) key lists of the team's template for
    ``severity``; the defaults when the team has none (a team created outside the app)."""
    row = (
        SeverityTemplate.objects.filter(team_id=team_id, severity=severity)
        .values_list("before_review", "before_publish")
        .first()
    )
    if row is None:
        review, publish = DEFAULTS[severity]
        return list(review), list(publish)
    return list(row[0]), list(row[1])


def _template_columns(field: str) -> Subquery:
    rows = SeverityTemplate.objects.filter(team=OuterRef("team"), severity=OuterRef("severity"))
    return Subquery(rows.values(field)[:1], output_field=JSONField())


def annotate(postmortems: QuerySet[Any]) -> QuerySet[Any]:
    """``postmortems`` with their team's template for their severity in the same row, so a
    page showing the checklist needs no query of its own."""
    return postmortems.annotate(
        template_before_review=_template_columns("before_review"),
        template_before_publish=_template_columns("before_publish"),
    )


def _template_of(postmortem: Any) -> tuple[list[str], list[str]]:
    if not hasattr(postmortem, "template_before_review"):  # not loaded through ``annotate``
        return template_for(postmortem.team_id, postmortem.severity)
    review = postmortem.template_before_review
    publish = postmortem.template_before_publish
    if review is None or publish is None:
        # Annotated, and the team has no row for this severity: ``template_for`` would ask
        # the database again only to fall back to the defaults.
        review, publish = DEFAULTS[postmortem.severity]
    return list(review), list(publish)


def required_keys(postmortem: Any, stage: str) -> list[str]:
    """Requirement keys, in catalogue order, ``postmortem`` needs to pass ``stage``."""
    review, publish = _template_of(postmortem)
    wanted = set(review) | (set(publish) if stage == PUBLISH else set())
    return [key for key in REQUIREMENTS if key in wanted]


def _facts(postmortem: Any) -> dict[str, Any]:
    """What the checks read, through prefetched rows when the page already loaded them."""
    kinds = {event.kind for event in postmortem.timeline_events.all()}
    return {
        "kinds": kinds,
        "factors": len(postmortem.factors.all()),
        "actions": len(postmortem.action_items.all()),
    }


def is_met(key: str, postmortem: Any, facts: dict[str, Any]) -> bool:
    if key in ("summary", "impact", "went_well", "got_lucky", "surprises"):
        return bool(getattr(postmortem, key).strip())
    if key in ("started_at", "detected_at", "mitigated_at", "resolved_at"):
        return getattr(postmortem, key) is not None
    if key == "detection_event":
        return TimelineEvent.Kind.DETECTION in facts["kinds"]
    if key == "repair_event":
        return TimelineEvent.Kind.REPAIR in facts["kinds"]
    if key == "factor":
        return facts["factors"] > 0
    if key == "action_item":
        return facts["actions"] > 0 or bool(postmortem.no_action_items_reason.strip())
    raise KeyError(key)


def checklist(postmortem: Any, stage: str) -> list[tuple[Requirement, bool]]:
    """[(Requirement, met)] for ``stage``, in catalogue order."""
    facts = _facts(postmortem)
    return [
        (REQUIREMENTS[key], is_met(key, postmortem, facts))
        for key in required_keys(postmortem, stage)
    ]


def seed_team(team: Any) -> None:
    """Give ``team`` the default template of every severity it lacks."""
    have = set(SeverityTemplate.objects.filter(team=team).values_list("severity", flat=True))
    rows = [
        SeverityTemplate(
            team=team, severity=severity, before_review=list(review), before_publish=list(publish)
        )
        for severity, (review, publish) in DEFAULTS.items()
        if severity not in have
    ]
    try:
        with transaction.atomic():
            SeverityTemplate.objects.bulk_create(rows)
    except IntegrityError:
        pass  # seeded at the same moment elsewhere
