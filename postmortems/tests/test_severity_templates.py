import pytest

from postmortems import gates, services
from postmortems.models import Postmortem, SeverityTemplate, TimelineEvent
from postmortems.severity_templates import DEFAULTS, PUBLISH, REVIEW, annotate, seed_team
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    TeamFactory,
    TimelineEventFactory,
)

pytestmark = pytest.mark.django_db


def _missing(postmortem, stage):
    return [r.key for r in gates.missing_requirements(postmortem, stage)]


def test_a_new_team_gets_the_default_template_of_every_severity():
    team = TeamFactory()
    rows = {
        row.severity: (row.before_review, row.before_publish)
        for row in SeverityTemplate.objects.filter(team=team)
    }
    assert rows == {severity: (list(r), list(p)) for severity, (r, p) in DEFAULTS.items()}


def test_seeding_again_adds_nothing_and_keeps_a_managers_changes(team):
    SeverityTemplate.objects.filter(team=team, severity="SEV4").update(before_review=[])
    seed_team(team)
    assert SeverityTemplate.objects.filter(team=team).count() == 4
    assert SeverityTemplate.objects.get(team=team, severity="SEV4").before_review == []


def test_an_empty_draft_of_any_severity_misses_something_before_review(team):
    for severity in ("SEV1", "SEV2", "SEV3", "SEV4"):
        empty = PostmortemFactory(
            team=team,
            severity=severity,
            summary="",
            started_at=None,
            detected_at=None,
            mitigated_at=None,
            resolved_at=None,
        )
        assert "summary" in _missing(empty, REVIEW)


def test_sev1_needs_the_whole_story_before_review_in_the_catalogue_order(team):
    pm = PostmortemFactory(team=team, severity="SEV1", detected_at=None)
    assert _missing(pm, REVIEW) == ["impact", "detected_at", "detection_event", "repair_event"]


def test_sev1_is_ready_for_review_with_impact_detection_and_repair(team):
    pm = PostmortemFactory(team=team, severity="SEV1", impact="Checkout failed.")
    TimelineEventFactory(postmortem=pm, kind=TimelineEvent.Kind.DETECTION)
    TimelineEventFactory(postmortem=pm, kind=TimelineEvent.Kind.REPAIR)
    assert _missing(pm, REVIEW) == []
    assert _missing(pm, PUBLISH) == ["factor", "action_item"]


def test_a_written_reason_counts_instead_of_an_action_item(team):
    pm = PostmortemFactory(team=team, impact="Some", no_action_items_reason="Fixed in place.")
    ContributingFactorFactory(postmortem=pm)
    assert _missing(pm, PUBLISH) == []


def test_an_action_item_counts_without_a_reason(team):
    pm = PostmortemFactory(team=team, impact="Some")
    ContributingFactorFactory(postmortem=pm)
    ActionItemFactory(postmortem=pm)
    assert _missing(pm, PUBLISH) == []


def test_a_blank_section_does_not_count_as_written(team):
    pm = PostmortemFactory(team=team, severity="SEV4", summary="   \n ")
    assert _missing(pm, REVIEW) == ["summary"]


def test_the_gate_follows_the_teams_adjusted_template(team, manager):
    services.team_set_review_rules(
        team=team,
        allow_self_review=False,
        templates={"SEV4": (["summary", "went_well"], ["surprises"])},
        by=manager,
    )
    pm = PostmortemFactory(team=team, severity="SEV4")
    assert _missing(pm, REVIEW) == ["went_well"]
    assert _missing(pm, PUBLISH) == ["went_well", "surprises"]


def test_a_team_without_template_rows_gets_the_defaults(team):
    SeverityTemplate.objects.filter(team=team).delete()
    pm = PostmortemFactory(team=team, severity="SEV4", summary="")
    assert _missing(pm, REVIEW) == ["summary"]


def test_an_annotated_postmortem_of_a_team_without_rows_gets_the_defaults_without_a_query(
    team, django_assert_num_queries
):
    SeverityTemplate.objects.filter(team=team).delete()
    pm = PostmortemFactory(team=team, severity="SEV4", summary="", impact="")
    loaded = annotate(
        Postmortem.objects.prefetch_related("timeline_events", "factors", "action_items")
    ).get(pk=pm.pk)
    with django_assert_num_queries(0):
        assert _missing(loaded, REVIEW) == ["summary"]
        assert _missing(loaded, PUBLISH) == ["summary", "impact"]


def test_an_annotated_postmortem_follows_the_teams_adjusted_template(team, manager):
    services.team_set_review_rules(
        team=team,
        allow_self_review=False,
        templates={"SEV4": (["summary", "went_well"], ["surprises"])},
        by=manager,
    )
    pm = PostmortemFactory(team=team, severity="SEV4")
    loaded = annotate(Postmortem.objects.all()).get(pk=pm.pk)
    assert _missing(loaded, PUBLISH) == ["went_well", "surprises"]


def test_the_missing_list_reads_as_a_sentence(team):
    pm = PostmortemFactory(team=team, severity="SEV3", summary="", impact="", resolved_at=None)
    text = gates.missing_text(gates.missing_requirements(pm, REVIEW))
    assert text == "a summary, the impact and when it was resolved"
